using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Rx.Ssh.Tests")]

namespace Rx.Ssh.Sftp;
