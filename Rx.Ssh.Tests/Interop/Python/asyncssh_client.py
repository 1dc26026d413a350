"""AsyncSSH's client against an SSH server on 127.0.0.1, driven by Rx.Ssh.Tests (PythonClientInteropTests).

usage: asyncssh_client.py MODE PORT USER KEY KNOWN_HOSTS [ARGS...], MODE one of:
  exec COMMAND [KEX CIPHER MAC]   run COMMAND, optionally with one key exchange, cipher and MAC forced ("-" = asyncssh's list)
  cert COMMAND CERT               run COMMAND, logging in with KEY and its OpenSSH certificate CERT
  agent COMMAND                   log in with the keys of the agent whose socket is KEY and forward that agent; run COMMAND
  pty COMMAND                     run COMMAND on a pty (xterm-256color, 100x40) with RXSSH_TEST=asyncssh in its environment
  sftp LOCAL BACK                 put LOCAL, work on it remotely, get it back to BACK
  scp LOCAL_DIR BACK_DIR          copy LOCAL_DIR to /tree recursively with times kept, then /tree back into BACK_DIR
  kbdint COMMAND                  log in with keyboard-interactive only, KEY being the answer to every prompt; run COMMAND
                                  (the prompts seen are in the output), or print {"denied": ...} when refused
  rforward DEST_PORT              ask the server to listen on a port of its choosing, forwarded back to 127.0.0.1:DEST_PORT,
                                  and send through the server's port
  forward DEST_PORT               forward a local port to 127.0.0.1:DEST_PORT, send through it; then a refused destination
Prints one JSON object on stdout; any failure is a traceback and a non-zero exit.
Host keys come only from KNOWN_HOSTS; no ssh_config, no ~/.ssh keys, no agent but in agent mode.
"""
import asyncio
import hashlib
import json
import sys

import asyncssh


def algorithms(args):
    chosen = {}
    for name, value in zip(("kex_algs", "encryption_algs", "mac_algs"), args):
        if value != "-":
            chosen[name] = [value]
    return chosen


def login_options(mode, key, args):
    """The connect() options MODE logs in with: its client keys, its agent, the algorithms it forces."""
    if mode == "cert":
        return {"client_keys": [(asyncssh.read_private_key(key), asyncssh.read_certificate(args[1]))], "agent_path": None}
    if mode == "agent":
        return {"client_keys": (), "agent_path": key, "agent_forwarding": True}
    options = {"client_keys": [key], "agent_path": None}
    if mode == "exec":
        options.update(algorithms(args[1:4]))
    return options


class Answering(asyncssh.SSHClient):
    """Answers every keyboard-interactive prompt with one answer and keeps the prompts it saw."""

    def __init__(self, answer):
        self.answer = answer
        self.prompts = []

    def kbdint_auth_requested(self):
        return ""

    def kbdint_challenge_received(self, name, instructions, lang, prompts):
        self.prompts.append([prompt for prompt, _ in prompts])
        return [self.answer for _ in prompts]


async def run_kbdint(port, user, answer, known_hosts, command):
    client = Answering(answer)
    try:
        conn, _ = await asyncssh.create_connection(lambda: client, "127.0.0.1", port, username=user, client_keys=None,
                                                   password=None, known_hosts=known_hosts, agent_path=None, config=None,
                                                   preferred_auth="keyboard-interactive", login_timeout=20)
    except asyncssh.PermissionDenied as e:
        return {"denied": e.reason, "prompts": client.prompts}
    async with conn:
        result = await run_exec(conn, command)
    result["prompts"] = client.prompts
    return result


async def run_exec(conn, command):
    result = await conn.run(command)
    return {"stdout": result.stdout, "stderr": result.stderr, "status": result.exit_status,
            "cipher": conn.get_extra_info("send_cipher"), "mac": conn.get_extra_info("send_mac")}


async def run_pty(conn, command):
    result = await conn.run(command, term_type="xterm-256color", term_size=(100, 40), env={"RXSSH_TEST": "asyncssh"})
    return {"stdout": result.stdout, "status": result.exit_status}


async def run_sftp(conn, local, back):
    async with conn.start_sftp_client() as sftp:
        await sftp.put(local, "/up.bin")
        size = (await sftp.stat("/up.bin")).size
        await sftp.makedirs("/a/b")
        await sftp.rename("/up.bin", "/a/b/moved.bin")
        found = sorted(await sftp.glob("/a/*/*.bin"))
        await sftp.get("/a/b/moved.bin", back)
        with open(back, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        await sftp.posix_rename("/a/b/moved.bin", "/a/b/renamed.bin")
        await sftp.link("/a/b/renamed.bin", "/a/b/hard.bin")
        await sftp.symlink("renamed.bin", "/a/b/soft.bin")
        extras = {"readlink": await sftp.readlink("/a/b/soft.bin"),
                  "realpath": await sftp.realpath("/a/../a/b/./soft.bin"),
                  "hard_size": (await sftp.stat("/a/b/hard.bin")).size,
                  "statvfs": (await sftp.statvfs("/")).bsize > 0}
        async with sftp.open("/a/b/small.txt", "wb") as f:
            await f.write(b"0123456789")
            await f.fsync()
            extras["fstatvfs"] = (await f.statvfs()).bsize > 0
        await sftp.chmod("/a/b/small.txt", 0o640)
        await sftp.truncate("/a/b/small.txt", 4)
        await sftp.utime("/a/b/small.txt", (1000000000, 1000000000))
        attrs = await sftp.stat("/a/b/small.txt")
        extras.update({"mode": attrs.permissions & 0o777, "mtime": attrs.mtime, "truncated": attrs.size})
        await sftp.rmtree("/a")
        try:
            await sftp.stat("/missing")
            missing = "found"
        except asyncssh.SFTPNoSuchFile:
            missing = "SFTPNoSuchFile"
        names = sorted(n for n in await sftp.listdir("/") if n not in (".", ".."))
        return {"size": size, "glob": found, "sha256": digest, "root": names, "missing": missing, **extras}


async def run_scp(conn, local_dir, back_dir):
    await asyncssh.scp(local_dir, (conn, "/tree"), recurse=True, preserve=True)
    await asyncssh.scp((conn, "/tree"), back_dir, recurse=True, preserve=True)
    try:
        await asyncssh.scp((conn, "/missing"), back_dir)
        missing = "copied"
    except asyncssh.SFTPError as e:
        missing = "%s: %s" % (type(e).__name__, e.reason)
    return {"missing": missing}


async def run_forward(conn, dest_port):
    listener = await conn.forward_local_port("127.0.0.1", 0, "127.0.0.1", dest_port)
    echoed = await exchange(listener.get_port())
    try:
        await conn.create_connection(asyncssh.SSHTCPSession, "127.0.0.1", 1)
        refused = "opened"
    except asyncssh.ChannelOpenError as e:
        refused = "%d %s" % (e.code, e.reason)
    listener.close()
    return {"echo": echoed.decode(), "refused": refused}


async def exchange(port):
    """Sends a line through 127.0.0.1:PORT, half-closes, and returns the answer read to EOF."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"ping through asyncssh")
    writer.write_eof()
    echoed = await reader.read()
    writer.close()
    return echoed


async def run_remote_forward(conn, dest_port):
    listener = await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", dest_port)
    echoed = await exchange(listener.get_port())
    listener.close()
    await listener.wait_closed()
    return {"echo": echoed.decode(), "port": listener.get_port()}


async def main():
    mode, port, user, key, known_hosts = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    args = sys.argv[6:]
    if mode == "kbdint":
        print(json.dumps(await run_kbdint(port, user, key, known_hosts, args[0])))
        return
    async with asyncssh.connect("127.0.0.1", port, username=user, known_hosts=known_hosts, config=None, login_timeout=20,
                                **login_options(mode, key, args)) as conn:
        if mode in ("exec", "cert", "agent"):
            result = await run_exec(conn, args[0])
        elif mode == "pty":
            result = await run_pty(conn, args[0])
        elif mode == "sftp":
            result = await run_sftp(conn, args[0], args[1])
        elif mode == "scp":
            result = await run_scp(conn, args[0], args[1])
        elif mode == "rforward":
            result = await run_remote_forward(conn, int(args[0]))
        else:
            result = await run_forward(conn, int(args[0]))
    print(json.dumps(result))


asyncio.run(main())
