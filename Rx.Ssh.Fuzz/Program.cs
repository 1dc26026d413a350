return Rx.Ssh.Fuzz.FuzzProgram.Run(args, Console.Out);
