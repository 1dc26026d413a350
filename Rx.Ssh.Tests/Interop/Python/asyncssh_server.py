"""An AsyncSSH server on 127.0.0.1 and a free port, for Rx.Ssh's client (AsyncsshServerInteropTests).

usage: asyncssh_server.py HOST_KEY AUTHORIZED_KEYS SFTP_ROOT [HOST_CERTIFICATE]
Prints "listening on PORT" on stderr, then serves until it is stopped (SIGTERM).
  exec "cat"       copies stdin to stdout, exit status 0
  exec "agent"     lists the SHA256 fingerprints of the keys in the client's forwarded agent, one per line
  any other exec   "asyncssh ran COMMAND" on stdout, "to stderr" on stderr, exit status 3
  sftp, scp        AsyncSSH's SFTP server and its SCP server on it, chrooted to SFTP_ROOT
  direct-tcpip     allowed (AsyncSSH connects to the destination)
  tcpip-forward    allowed (AsyncSSH listens and forwards what it accepts back)
"""
import asyncio
import base64
import hashlib
import logging
import sys

import asyncssh


async def handle(process):
    if process.command == "cat":
        while True:
            data = await process.stdin.read(65536)
            if not data:
                break
            process.stdout.write(data)
            await process.stdout.drain()
        process.exit(0)
        return
    if process.command == "agent":
        conn = process.get_extra_info("connection")
        # AsyncSSH enables forwarding in a task of its own that the exec can overtake; this waits for it.
        await conn.create_agent_listener()
        agent = await asyncssh.connect_agent(conn)
        for key in await agent.get_keys():
            digest = base64.b64encode(hashlib.sha256(key.public_data).digest()).decode().rstrip("=")
            process.stdout.write(("SHA256:%s\n" % digest).encode())
        agent.close()
        await agent.wait_closed()
        process.exit(0)
        return
    process.stdout.write(("asyncssh ran %s\n" % process.command).encode())
    process.stderr.write(b"to stderr\n")
    process.exit(3)


class Server(asyncssh.SSHServer):
    def connection_requested(self, dest_host, dest_port, orig_host, orig_port):
        return True

    def server_requested(self, listen_host, listen_port):
        return True


async def main():
    # AsyncSSH's own log on stderr: a failing test shows it (PythonSshServer.Log).
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    host_key, authorized, root = sys.argv[1], sys.argv[2], sys.argv[3]
    host_certs = sys.argv[4:5]
    server = await asyncssh.create_server(
        Server, "127.0.0.1", 0, server_host_keys=[host_key], server_host_certs=host_certs, authorized_client_keys=authorized,
        process_factory=handle, encoding=None, allow_scp=True, agent_forwarding=True,
        sftp_factory=lambda chan: asyncssh.SFTPServer(chan, chroot=root.encode()))
    print("listening on %d" % server.sockets[0].getsockname()[1], file=sys.stderr, flush=True)
    await server.wait_closed()


asyncio.run(main())
