using System.Runtime.CompilerServices;

// The tests start serve and the tour in-process.
[assembly: InternalsVisibleTo("Rx.Ssh.Tests")]
