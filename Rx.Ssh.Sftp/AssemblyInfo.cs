namespace Rx.Ssh.Sftp;
