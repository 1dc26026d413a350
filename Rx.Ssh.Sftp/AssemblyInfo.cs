using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Rx.Ssh.Tests")]
[assembly: InternalsVisibleTo("Rx.Ssh.Fuzz")]

namespace Rx.Ssh.Sftp;
