"""A Paramiko server on 127.0.0.1 and a free port, for Rx.Ssh's client (ParamikoServerInteropTests).

usage: paramiko_server.py HOST_KEY AUTHORIZED_KEYS
Prints "listening on PORT" on stderr, then serves each connection on a thread until it is stopped (SIGTERM).
Public key authentication against AUTHORIZED_KEYS only; session channels only.
  exec "cat"       copies stdin to stdout until EOF, exit status 0
  any other exec   "paramiko ran COMMAND" on stdout, "to stderr" on stderr, exit status 5
"""
import socket
import sys
import threading

import paramiko


def load_authorized(path):
    with open(path) as f:
        return {tuple(line.split()[:2]) for line in f if line.strip() and not line.startswith("#")}


class Server(paramiko.ServerInterface):
    def __init__(self, authorized):
        self.authorized = authorized
        self.command = None
        self.exec_requested = threading.Event()

    def get_allowed_auths(self, username):
        return "publickey"

    def check_auth_publickey(self, username, key):
        known = (key.get_name(), key.get_base64()) in self.authorized
        return paramiko.AUTH_SUCCESSFUL if known else paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_exec_request(self, channel, command):
        self.command = command.decode()
        self.exec_requested.set()
        return True


def serve(sock, host_key, authorized):
    transport = paramiko.Transport(sock)
    transport.add_server_key(host_key)
    server = Server(authorized)
    try:
        transport.start_server(server=server)
        channel = transport.accept(30)
        if channel is None or not server.exec_requested.wait(30):
            return
        if server.command == "cat":
            while True:
                data = channel.recv(65536)
                if not data:
                    break
                channel.sendall(data)
            channel.send_exit_status(0)
        else:
            channel.sendall(("paramiko ran %s\n" % server.command).encode())
            channel.sendall_stderr(b"to stderr\n")
            channel.send_exit_status(5)
        channel.close()
        transport.join()
    except (EOFError, paramiko.SSHException, OSError) as e:
        print("connection ended: %r" % e, file=sys.stderr, flush=True)
    finally:
        transport.close()


def main():
    host_key = paramiko.Ed25519Key.from_private_key_file(sys.argv[1])
    authorized = load_authorized(sys.argv[2])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print("listening on %d" % listener.getsockname()[1], file=sys.stderr, flush=True)
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=serve, args=(sock, host_key, authorized), daemon=True).start()


main()
