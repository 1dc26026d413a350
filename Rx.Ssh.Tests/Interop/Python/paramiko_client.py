"""Paramiko's client against an SSH server on 127.0.0.1, driven by Rx.Ssh.Tests (PythonClientInteropTests).

usage: paramiko_client.py exec|sftp|password PORT USER KEY KNOWN_HOSTS [ARGS...]
  exec COMMAND          run COMMAND, logging in with KEY
  sftp LOCAL BACK       put LOCAL, work on it remotely, get it back to BACK
  password COMMAND      log in with password authentication, KEY being the password; run COMMAND,
                        or print {"denied": true} when the server refuses the password
Prints one JSON object on stdout with what it saw; any failure is a traceback and a non-zero exit.
Host keys come only from KNOWN_HOSTS (an unknown key is rejected), no agent, no ~/.ssh keys.
"""
import hashlib
import json
import sys

import paramiko


def connect(port, user, key, known_hosts, password=None):
    client = paramiko.SSHClient()
    client.load_host_keys(known_hosts)
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect("127.0.0.1", port, username=user, key_filename=key, password=password,
                   look_for_keys=False, allow_agent=False, timeout=20)
    return client


def run_exec(client, command):
    _, stdout, stderr = client.exec_command(command)
    out, err = stdout.read(), stderr.read()
    transport = client.get_transport()
    return {"stdout": out.decode(), "stderr": err.decode(), "status": stdout.channel.recv_exit_status(),
            "cipher": transport.remote_cipher, "mac": transport.remote_mac}


def run_sftp(client, local, back):
    sftp = client.open_sftp()
    sftp.put(local, "/up.bin")
    size = sftp.stat("/up.bin").st_size
    sftp.mkdir("/d")
    sftp.rename("/up.bin", "/d/moved.bin")
    names = sorted(sftp.listdir("/d"))
    sftp.get("/d/moved.bin", back)
    with open(back, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    sftp.posix_rename("/d/moved.bin", "/d/renamed.bin")
    sftp.symlink("renamed.bin", "/d/soft.bin")
    extras = {"readlink": sftp.readlink("/d/soft.bin"), "link_size": sftp.stat("/d/soft.bin").st_size}
    sftp.chmod("/d/renamed.bin", 0o640)
    sftp.truncate("/d/renamed.bin", 4)
    sftp.utime("/d/renamed.bin", (1000000000, 1000000000))
    attrs = sftp.stat("/d/renamed.bin")
    extras.update({"mode": attrs.st_mode & 0o777, "mtime": attrs.st_mtime, "truncated": attrs.st_size})
    sftp.remove("/d/soft.bin")
    sftp.remove("/d/renamed.bin")
    sftp.rmdir("/d")
    try:
        sftp.stat("/missing")
        missing = "found"
    except FileNotFoundError:
        missing = "FileNotFoundError"
    return {"size": size, "names": names, "sha256": digest, "root": sorted(sftp.listdir("/")),
            "missing": missing, "cwd": sftp.normalize("."), **extras}


def main():
    mode, port, user, key, known_hosts = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    if mode == "password":
        try:
            client = connect(port, user, None, known_hosts, password=key)
        except paramiko.AuthenticationException:
            print(json.dumps({"denied": True}))
            return
    else:
        client = connect(port, user, key, known_hosts)
    try:
        result = run_sftp(client, sys.argv[6], sys.argv[7]) if mode == "sftp" else run_exec(client, sys.argv[6])
    finally:
        client.close()
    print(json.dumps(result))


main()
