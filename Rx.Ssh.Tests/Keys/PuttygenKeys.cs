namespace Rx.Ssh.Tests.Keys;

/// <summary>
/// Key files written by puttygen 0.78 (Debian putty-tools) from keys ssh-keygen made, with the OpenSSH
/// public key line they hold. Encrypted ones use the passphrase <see cref="Passphrase"/>.
/// Regenerate: <c>puttygen KEY -O private -o OUT --ppk-param version=2|kdf=argon2id,memory=1024,passes=2 [--new-passphrase FILE]</c>.
/// </summary>
internal static class PuttygenKeys
{
    public const string Passphrase = "correct horse";

    /// <summary>File name (key.variant) to (ppk text, OpenSSH public key line).</summary>
    public static readonly IReadOnlyDictionary<string, (string Ppk, string PublicKey)> Files = new Dictionary<string, (string, string)>
    {
        ["ed25519.v2"] = (
            """
            PuTTY-User-Key-File-2: ssh-ed25519
            Encryption: none
            Comment: ed25519 from ssh-keygen
            Public-Lines: 2
            AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVf
            NQXb
            Private-Lines: 1
            AAAAIOHoSJfjpCemz01LNX+1y6FSZHAzxzSTGd+elnzOF7Fy
            Private-MAC: f097163b3cb8de9bc039c8091860aa86c495bbda
            """,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVfNQXb"),
        ["ed25519.v2enc"] = (
            """
            PuTTY-User-Key-File-2: ssh-ed25519
            Encryption: aes256-cbc
            Comment: ed25519 from ssh-keygen
            Public-Lines: 2
            AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVf
            NQXb
            Private-Lines: 1
            0v3l46wL21wDmKryG1w/pLT5uqDrWii/3GmO5Ve3+MDo6zIInRwO3AZXorFG3FH7
            Private-MAC: 54a0425283f5df0740638d2a4656a9648bc20921
            """,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVfNQXb"),
        ["ed25519.v3"] = (
            """
            PuTTY-User-Key-File-3: ssh-ed25519
            Encryption: none
            Comment: ed25519 from ssh-keygen
            Public-Lines: 2
            AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVf
            NQXb
            Private-Lines: 1
            AAAAIOHoSJfjpCemz01LNX+1y6FSZHAzxzSTGd+elnzOF7Fy
            Private-MAC: d734c8726dca0171635c728018103fa27ba1af92f24322123f7abe0c8cc0bbeb
            """,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVfNQXb"),
        ["ed25519.v3d"] = (
            """
            PuTTY-User-Key-File-3: ssh-ed25519
            Encryption: aes256-cbc
            Comment: ed25519 from ssh-keygen
            Public-Lines: 2
            AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVf
            NQXb
            Key-Derivation: Argon2d
            Argon2-Memory: 512
            Argon2-Passes: 1
            Argon2-Parallelism: 1
            Argon2-Salt: 50637baf4a8cb0c7e11d909381632352
            Private-Lines: 1
            /NkPeEhg31E+TSAoIEpFh6rMl2WsLvyxTxZCEhmzIP/Qy/g+FNw3iOJrNk6eupQp
            Private-MAC: e6d5b1ba677e1b19853254a2402446b8b9b1c5ace573981a4dfdee547f375d0e
            """,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVfNQXb"),
        ["ed25519.v3enc"] = (
            """
            PuTTY-User-Key-File-3: ssh-ed25519
            Encryption: aes256-cbc
            Comment: ed25519 from ssh-keygen
            Public-Lines: 2
            AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVf
            NQXb
            Key-Derivation: Argon2id
            Argon2-Memory: 1024
            Argon2-Passes: 2
            Argon2-Parallelism: 1
            Argon2-Salt: 80cd542738ec7baae6a970fad38a270a
            Private-Lines: 1
            kijFk/jJ/2O9mq62h0Dzkj3cTgSg6Hp5IIp6Hp4Tz23WeGx2lzXHSGY/sJnbzAYZ
            Private-MAC: 7a1a24a656f49432adf7d821c15c00fb14895aa82969f3381bb1ce126c822062
            """,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVfNQXb"),
        ["ed25519.v3i"] = (
            """
            PuTTY-User-Key-File-3: ssh-ed25519
            Encryption: aes256-cbc
            Comment: ed25519 from ssh-keygen
            Public-Lines: 2
            AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVf
            NQXb
            Key-Derivation: Argon2i
            Argon2-Memory: 256
            Argon2-Passes: 3
            Argon2-Parallelism: 2
            Argon2-Salt: 397032d35bbaae0e1a95b5325741cf8e
            Private-Lines: 1
            egzHcjsOQNVq/IKchfeOH2gD5IPhDFGXqUwAU/NobSZdC41+zSzvM14KBCIGnlGM
            Private-MAC: 80a10558762ababed045b4a8c3218a3bd29b721502c3919d099809d99795fa9f
            """,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVfNQXb"),
        ["p256.v2"] = (
            """
            PuTTY-User-Key-File-2: ecdsa-sha2-nistp256
            Encryption: none
            Comment: p256 from ssh-keygen
            Public-Lines: 3
            AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIzqWN7bHJEv
            XLx7QgFsQW1JS6b8KOuZNPdSqPwX08mlIyBJaWqf3yyaDDxQ+hrD1mRU3Kyz1/po
            PQxw8hfgqb0=
            Private-Lines: 1
            AAAAIQDK2jceMIs3g4uIFA2lfmi8yP/V7wABDaEFQhb9DAm3oA==
            Private-MAC: 06b3ee382ce38c436daf31f82fab6024eb0e2ece
            """,
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIzqWN7bHJEvXLx7QgFsQW1JS6b8KOuZNPdSqPwX08mlIyBJaWqf3yyaDDxQ+hrD1mRU3Kyz1/poPQxw8hfgqb0="),
        ["p256.v2enc"] = (
            """
            PuTTY-User-Key-File-2: ecdsa-sha2-nistp256
            Encryption: aes256-cbc
            Comment: p256 from ssh-keygen
            Public-Lines: 3
            AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIzqWN7bHJEv
            XLx7QgFsQW1JS6b8KOuZNPdSqPwX08mlIyBJaWqf3yyaDDxQ+hrD1mRU3Kyz1/po
            PQxw8hfgqb0=
            Private-Lines: 1
            F5Q6x66V36rl94kGp164wBoC0w10g7cV9lPIaYLVxiDhW2+shXlgYcsjOvfpYS8H
            Private-MAC: 2883ad739b87a63f7b8db9471159f6e4d6b6954f
            """,
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIzqWN7bHJEvXLx7QgFsQW1JS6b8KOuZNPdSqPwX08mlIyBJaWqf3yyaDDxQ+hrD1mRU3Kyz1/poPQxw8hfgqb0="),
        ["p256.v3"] = (
            """
            PuTTY-User-Key-File-3: ecdsa-sha2-nistp256
            Encryption: none
            Comment: p256 from ssh-keygen
            Public-Lines: 3
            AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIzqWN7bHJEv
            XLx7QgFsQW1JS6b8KOuZNPdSqPwX08mlIyBJaWqf3yyaDDxQ+hrD1mRU3Kyz1/po
            PQxw8hfgqb0=
            Private-Lines: 1
            AAAAIQDK2jceMIs3g4uIFA2lfmi8yP/V7wABDaEFQhb9DAm3oA==
            Private-MAC: 137e42aa3210f0e78599cb7b5b6765ca093e1b7f9ac2309920b7813862a6463f
            """,
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIzqWN7bHJEvXLx7QgFsQW1JS6b8KOuZNPdSqPwX08mlIyBJaWqf3yyaDDxQ+hrD1mRU3Kyz1/poPQxw8hfgqb0="),
        ["p256.v3enc"] = (
            """
            PuTTY-User-Key-File-3: ecdsa-sha2-nistp256
            Encryption: aes256-cbc
            Comment: p256 from ssh-keygen
            Public-Lines: 3
            AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIzqWN7bHJEv
            XLx7QgFsQW1JS6b8KOuZNPdSqPwX08mlIyBJaWqf3yyaDDxQ+hrD1mRU3Kyz1/po
            PQxw8hfgqb0=
            Key-Derivation: Argon2id
            Argon2-Memory: 1024
            Argon2-Passes: 2
            Argon2-Parallelism: 1
            Argon2-Salt: a886191bb1e48756f2b8124a5686bfde
            Private-Lines: 1
            Nt7zfF3yYMOSNlK6VQQTBcnAwfA58ZAyjw83FEVT7YvM9mOdLY58o3lkD0p+G7cS
            Private-MAC: c9ddfc0ff2d8750185dc759e24cb6276d3edc16da234592eef8f6ae7f4f6242f
            """,
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIzqWN7bHJEvXLx7QgFsQW1JS6b8KOuZNPdSqPwX08mlIyBJaWqf3yyaDDxQ+hrD1mRU3Kyz1/poPQxw8hfgqb0="),
        ["p384.v2"] = (
            """
            PuTTY-User-Key-File-2: ecdsa-sha2-nistp384
            Encryption: none
            Comment: p384 from ssh-keygen
            Public-Lines: 3
            AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBLpM+BH0lexE
            KzMPLsofOzpQ2FK2Ux/INHqsctySFvV+FHUYtRO3b+AN3dVNjz4uDdhBegwRLRGB
            xmcZFS9oD8BZrWnkgGpwBfXItmltuRzp4v8kA6ESoQsGyzWsHV+OSQ==
            Private-Lines: 2
            AAAAMBGa7kKNTqCRsDCmL/atg1GtyEOI0YQZeAvIuhIIWXAxOYBjqXt7esSZnztU
            7knuBw==
            Private-MAC: 144eda294a875bbadf84602b769e92031791f2d5
            """,
            "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBLpM+BH0lexEKzMPLsofOzpQ2FK2Ux/INHqsctySFvV+FHUYtRO3b+AN3dVNjz4uDdhBegwRLRGBxmcZFS9oD8BZrWnkgGpwBfXItmltuRzp4v8kA6ESoQsGyzWsHV+OSQ=="),
        ["p384.v2enc"] = (
            """
            PuTTY-User-Key-File-2: ecdsa-sha2-nistp384
            Encryption: aes256-cbc
            Comment: p384 from ssh-keygen
            Public-Lines: 3
            AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBLpM+BH0lexE
            KzMPLsofOzpQ2FK2Ux/INHqsctySFvV+FHUYtRO3b+AN3dVNjz4uDdhBegwRLRGB
            xmcZFS9oD8BZrWnkgGpwBfXItmltuRzp4v8kA6ESoQsGyzWsHV+OSQ==
            Private-Lines: 2
            dkiwS2GnpbYimHv5z1RK7TH2PGmig2qoeYpYsDWhhy7ym8uqTg/eLMsSi/imC6to
            A3fUh111CY6tS3be++/0rw==
            Private-MAC: a06dcb73b192718c0b6e8143f7f286e87e1a7840
            """,
            "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBLpM+BH0lexEKzMPLsofOzpQ2FK2Ux/INHqsctySFvV+FHUYtRO3b+AN3dVNjz4uDdhBegwRLRGBxmcZFS9oD8BZrWnkgGpwBfXItmltuRzp4v8kA6ESoQsGyzWsHV+OSQ=="),
        ["p384.v3"] = (
            """
            PuTTY-User-Key-File-3: ecdsa-sha2-nistp384
            Encryption: none
            Comment: p384 from ssh-keygen
            Public-Lines: 3
            AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBLpM+BH0lexE
            KzMPLsofOzpQ2FK2Ux/INHqsctySFvV+FHUYtRO3b+AN3dVNjz4uDdhBegwRLRGB
            xmcZFS9oD8BZrWnkgGpwBfXItmltuRzp4v8kA6ESoQsGyzWsHV+OSQ==
            Private-Lines: 2
            AAAAMBGa7kKNTqCRsDCmL/atg1GtyEOI0YQZeAvIuhIIWXAxOYBjqXt7esSZnztU
            7knuBw==
            Private-MAC: b379d9c2b87e21cca560127c0d5ec18ed18ae7996dacb0de75440b10367e0fa2
            """,
            "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBLpM+BH0lexEKzMPLsofOzpQ2FK2Ux/INHqsctySFvV+FHUYtRO3b+AN3dVNjz4uDdhBegwRLRGBxmcZFS9oD8BZrWnkgGpwBfXItmltuRzp4v8kA6ESoQsGyzWsHV+OSQ=="),
        ["p384.v3enc"] = (
            """
            PuTTY-User-Key-File-3: ecdsa-sha2-nistp384
            Encryption: aes256-cbc
            Comment: p384 from ssh-keygen
            Public-Lines: 3
            AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBLpM+BH0lexE
            KzMPLsofOzpQ2FK2Ux/INHqsctySFvV+FHUYtRO3b+AN3dVNjz4uDdhBegwRLRGB
            xmcZFS9oD8BZrWnkgGpwBfXItmltuRzp4v8kA6ESoQsGyzWsHV+OSQ==
            Key-Derivation: Argon2id
            Argon2-Memory: 1024
            Argon2-Passes: 2
            Argon2-Parallelism: 1
            Argon2-Salt: 0c7dad2b2bdfc226c116b39711aa4fae
            Private-Lines: 2
            RYXbAV6SMp0iK56F+iETb8ZZZveodv3gVqMxvDIJrpC1Ew2Sh9RTGwfCsI0QpFd2
            xKIiOlamNsaJiqCkE4i+9w==
            Private-MAC: dca4f1df0583ada8d717fb7badf093a01c98223647d807a222bdd9f441881c10
            """,
            "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBLpM+BH0lexEKzMPLsofOzpQ2FK2Ux/INHqsctySFvV+FHUYtRO3b+AN3dVNjz4uDdhBegwRLRGBxmcZFS9oD8BZrWnkgGpwBfXItmltuRzp4v8kA6ESoQsGyzWsHV+OSQ=="),
        ["p521.v2"] = (
            """
            PuTTY-User-Key-File-2: ecdsa-sha2-nistp521
            Encryption: none
            Comment: p521 from ssh-keygen
            Public-Lines: 4
            AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAEnbh0ahQIp
            qJKDJKfkSEYkxBSLZnK12QlWauKE3txglRpZzqg4GRKTXYcr+if5SVkf2ekFfmMq
            f2WwUxI3ujaLiwAfMKHo0HJqjxv7n15CSeQB9xP3oC4XZD/t5rdC9yqdW6E2Yqvy
            c9ansyjcatRcWwYg88k6nJlnzeonqcSq4cfv5A==
            Private-Lines: 2
            AAAAQgEIZ8lC51EKE4SQBoChHhAj1O5Swq5LTKorPEoAofb3rOKZ+Kufq236jQ5U
            gWwIYuCcJrBGNYfmhbmaQFw8YuAKMg==
            Private-MAC: 002e42e35750425432bab9046a397d66a1bd0188
            """,
            "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAEnbh0ahQIpqJKDJKfkSEYkxBSLZnK12QlWauKE3txglRpZzqg4GRKTXYcr+if5SVkf2ekFfmMqf2WwUxI3ujaLiwAfMKHo0HJqjxv7n15CSeQB9xP3oC4XZD/t5rdC9yqdW6E2Yqvyc9ansyjcatRcWwYg88k6nJlnzeonqcSq4cfv5A=="),
        ["p521.v2enc"] = (
            """
            PuTTY-User-Key-File-2: ecdsa-sha2-nistp521
            Encryption: aes256-cbc
            Comment: p521 from ssh-keygen
            Public-Lines: 4
            AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAEnbh0ahQIp
            qJKDJKfkSEYkxBSLZnK12QlWauKE3txglRpZzqg4GRKTXYcr+if5SVkf2ekFfmMq
            f2WwUxI3ujaLiwAfMKHo0HJqjxv7n15CSeQB9xP3oC4XZD/t5rdC9yqdW6E2Yqvy
            c9ansyjcatRcWwYg88k6nJlnzeonqcSq4cfv5A==
            Private-Lines: 2
            +NRaIvv+E7vVOCLHYg87S1ncfYBJvfXsAB2yUKYuyQE6u+/OsA+0srinMqapNtnY
            HTiDRI6TSUAzpIb9gXn192THbaNb5vOZM9edyZMdKH8=
            Private-MAC: d90dcc04fb20ebab29db55367f5a3f4434d23c72
            """,
            "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAEnbh0ahQIpqJKDJKfkSEYkxBSLZnK12QlWauKE3txglRpZzqg4GRKTXYcr+if5SVkf2ekFfmMqf2WwUxI3ujaLiwAfMKHo0HJqjxv7n15CSeQB9xP3oC4XZD/t5rdC9yqdW6E2Yqvyc9ansyjcatRcWwYg88k6nJlnzeonqcSq4cfv5A=="),
        ["p521.v3"] = (
            """
            PuTTY-User-Key-File-3: ecdsa-sha2-nistp521
            Encryption: none
            Comment: p521 from ssh-keygen
            Public-Lines: 4
            AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAEnbh0ahQIp
            qJKDJKfkSEYkxBSLZnK12QlWauKE3txglRpZzqg4GRKTXYcr+if5SVkf2ekFfmMq
            f2WwUxI3ujaLiwAfMKHo0HJqjxv7n15CSeQB9xP3oC4XZD/t5rdC9yqdW6E2Yqvy
            c9ansyjcatRcWwYg88k6nJlnzeonqcSq4cfv5A==
            Private-Lines: 2
            AAAAQgEIZ8lC51EKE4SQBoChHhAj1O5Swq5LTKorPEoAofb3rOKZ+Kufq236jQ5U
            gWwIYuCcJrBGNYfmhbmaQFw8YuAKMg==
            Private-MAC: b390cef502f802a7cd54b4ea1f212824a42e3ecbe862c25a2f2bebdda1cdf557
            """,
            "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAEnbh0ahQIpqJKDJKfkSEYkxBSLZnK12QlWauKE3txglRpZzqg4GRKTXYcr+if5SVkf2ekFfmMqf2WwUxI3ujaLiwAfMKHo0HJqjxv7n15CSeQB9xP3oC4XZD/t5rdC9yqdW6E2Yqvyc9ansyjcatRcWwYg88k6nJlnzeonqcSq4cfv5A=="),
        ["p521.v3enc"] = (
            """
            PuTTY-User-Key-File-3: ecdsa-sha2-nistp521
            Encryption: aes256-cbc
            Comment: p521 from ssh-keygen
            Public-Lines: 4
            AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAEnbh0ahQIp
            qJKDJKfkSEYkxBSLZnK12QlWauKE3txglRpZzqg4GRKTXYcr+if5SVkf2ekFfmMq
            f2WwUxI3ujaLiwAfMKHo0HJqjxv7n15CSeQB9xP3oC4XZD/t5rdC9yqdW6E2Yqvy
            c9ansyjcatRcWwYg88k6nJlnzeonqcSq4cfv5A==
            Key-Derivation: Argon2id
            Argon2-Memory: 1024
            Argon2-Passes: 2
            Argon2-Parallelism: 1
            Argon2-Salt: 20139035e0209f668bbdf66c72049005
            Private-Lines: 2
            K7GrOih6sInGieIzkL4DjWUoba4leDLWT/T/VitqZFANp4jUOAjLUuN1rMlGobRV
            Kekrc7d25yayjLL7Da2RzbnjcCouN/8gO29D+yxJsyc=
            Private-MAC: 2a45b8b6a9d5b1346c28996aa4e6efd9db28cdf467cb8fa45d575507aab5d352
            """,
            "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAEnbh0ahQIpqJKDJKfkSEYkxBSLZnK12QlWauKE3txglRpZzqg4GRKTXYcr+if5SVkf2ekFfmMqf2WwUxI3ujaLiwAfMKHo0HJqjxv7n15CSeQB9xP3oC4XZD/t5rdC9yqdW6E2Yqvyc9ansyjcatRcWwYg88k6nJlnzeonqcSq4cfv5A=="),
        ["rsa.v2"] = (
            """
            PuTTY-User-Key-File-2: ssh-rsa
            Encryption: none
            Comment: rsa from ssh-keygen
            Public-Lines: 6
            AAAAB3NzaC1yc2EAAAADAQABAAABAQClpalJmQCD/evjFowTXmypfPaVN38OCGlY
            5VZ+48mptPCudTh6Xw3Pbqeff2AjhR8vraRcznGL9CGAfQdMZeTgq7QiX0ML9F17
            6hPP+GE+oE5jNsb1OMnpLWoFYCy74WOyai45RCR/mNOrzbfMwU4qfcwh6rx2+5K3
            fT5m5ukjbOGsgh6MFYuaFWnl4ZOGSGL22ilvWbNXdmqifI8WZxcnkQuu6wj2vR57
            658THRotocyP57Z9JUoUxUL2nb6gWqNo621pSH1RKJca9k7aKgCjBNSEdFsVmnX5
            VRM+Na0wyFMAKds0WnaODyVtBuBOlgyYjxUGMubnjBXf8Y+bcHvH
            Private-Lines: 14
            AAABABtzfkAM+T8RMWqDUzhnLBEp0pV89R3cD//5lbbWmhYj6cUHoRH1Nw0wHzBO
            rsiEKFxsOt0Jy1sbB1hLSrkto7CwqTFkYcXqkSQsG8IZ5/Jgek0f3U3zQ3wp7gmG
            XDN7UTHWkzgjTlHPqmMs5u+pqKy1se18Vg+jy7cugXe9Ka1tz+tJfZfxI017Ou6u
            nLwFq9+vDA0pAbyxvHk5todP85YjlacYL9m3WHuDL2yAxA4nMfsYkjkFk0qBgcS8
            S7qiYUq4pHUTZlcJBy9hRfA2SiXjoxb//71BTH/CmI+Qgl1I5t6GXKF69Jk66qQx
            1z0JQUVpnv3BPMIWNFI/IUtuaQ0AAACBAN7NxZph9+zwV+ytptssQfiHDxJPQdlK
            Nyw68yR4jG8qjsg5WC0oMQksFsgQ401FOl2U05teW1wMGXs9MCbOJFAZ/YBjsVpd
            Cd2wJdYO6yZOiOltTLI/2erINLrNQBkaP8U3HOIFTFKp9WXxNr46IGPsrJjP4Gbz
            VseGr886vuQFAAAAgQC+U864QwVS/FoDk3etMQuXkA9Tmn7j/nL1V+KdXD2wHT3z
            NTKGh4sBjw515VvT3vtGbpEpcPxDGXZTnLOTdE2TckWJ66lq89ogrwWR1Z+GRJYr
            QlOxNl5VVrpElTe0WISVGxl+ZQ3hChq7rqLk65BuoMMDLamUEmtQKzBHz5kWWwAA
            AIBAs7VGaQmv1fkKb3Cn9Y5EhxdXuSF+OyvS7Qw1Qe2ZFm4yNb+pILeT38hY+D/6
            wB3p+uibR0yyILwPt6VdPEkwQtzkYUMxu3vDBYsggiAR1Vu6op8hUzvjN5PYZosr
            m4HsAazssUaLIls8TLJJ5Qr6fnUi33PdaMKld7Vq9yeCfw==
            Private-MAC: 523702fcb82e937672f0d096baa4e2e14c8e1599
            """,
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQClpalJmQCD/evjFowTXmypfPaVN38OCGlY5VZ+48mptPCudTh6Xw3Pbqeff2AjhR8vraRcznGL9CGAfQdMZeTgq7QiX0ML9F176hPP+GE+oE5jNsb1OMnpLWoFYCy74WOyai45RCR/mNOrzbfMwU4qfcwh6rx2+5K3fT5m5ukjbOGsgh6MFYuaFWnl4ZOGSGL22ilvWbNXdmqifI8WZxcnkQuu6wj2vR57658THRotocyP57Z9JUoUxUL2nb6gWqNo621pSH1RKJca9k7aKgCjBNSEdFsVmnX5VRM+Na0wyFMAKds0WnaODyVtBuBOlgyYjxUGMubnjBXf8Y+bcHvH"),
        ["rsa.v2enc"] = (
            """
            PuTTY-User-Key-File-2: ssh-rsa
            Encryption: aes256-cbc
            Comment: rsa from ssh-keygen
            Public-Lines: 6
            AAAAB3NzaC1yc2EAAAADAQABAAABAQClpalJmQCD/evjFowTXmypfPaVN38OCGlY
            5VZ+48mptPCudTh6Xw3Pbqeff2AjhR8vraRcznGL9CGAfQdMZeTgq7QiX0ML9F17
            6hPP+GE+oE5jNsb1OMnpLWoFYCy74WOyai45RCR/mNOrzbfMwU4qfcwh6rx2+5K3
            fT5m5ukjbOGsgh6MFYuaFWnl4ZOGSGL22ilvWbNXdmqifI8WZxcnkQuu6wj2vR57
            658THRotocyP57Z9JUoUxUL2nb6gWqNo621pSH1RKJca9k7aKgCjBNSEdFsVmnX5
            VRM+Na0wyFMAKds0WnaODyVtBuBOlgyYjxUGMubnjBXf8Y+bcHvH
            Private-Lines: 14
            rRD6pn42u9jL79alNaBRWKKfkTQ6rEWBPjygAZt6xjYtNg5L/g/a1/gR/FaaCINF
            YtuyGeN+7s+2+cwdrk0KNEXqdVlSkmQNfUSYGPUiT639V+GCrSVi2/A0FUenWknI
            TaMk3TNO2qdgU+q9n51ZkLkZiboXhO2QgS9aur6eBta6AFm4pVEbDTc/THtnRzR/
            tBxB3BK26jy5mwnycANykPaH5MMzMgK84DDZ1Kwuv2EZqfJK1X9lzARF0MnMmRgR
            GWTQLIdoTrO+1GyM4QfyxGuyq08Euj21jbbzLhm4VVDBeJCpHH69+EfPmd6bAn1A
            O2s94FJq81jjfbjfSxYamvkaxIIlAqZbo/ws0LJQM/x1w7Sxzj4SpNS9xnZBDSM2
            /Czm1bFweZGwqhq1x1PLDkIqgsOfaEvHoIr1741TBNxpCt28tnQIi6AOHKicub3W
            hdNhW4whqn6vwfXAHAFe7C38Zm1gbB3ycLR+Ke0XKJ1C0jkufBdCH8xeQizchC1U
            8q8gObD7QaoRVLwccTI1TrlQnV/uDw54pJz5h695rJ1AHIp0RIl2/Ghfo1ctx2Og
            xq6qsXuC9P7jsgwFCuG4cxVopHSd8QMf7rCJiWxYKrHr6FHyK0RaJiCYRP5GkNiv
            7BPNGUEa+u4h0QIIsILEDvA1Xwth2A0rXyy9aTyct3iAR3jGSv5GmKJByFQ0DNz+
            0VUXALFeplb11Fy7ivlG/4h44A9MhWuB9ecai9nA702OcZgrr4z5bYHLE4qvDzoh
            gsTLesROG3UHTv8IiTUGr0Iuzl+0LFy1uiOl7QpkWAUB/q4Xu6LHGIv8+kZlDYWG
            DCQIhNbcVHw450GHaWrrpMunoWLCfVzcLjtI25bDxbGOwKZTDLESRhuvYAsRHW0Y
            Private-MAC: 6d09ef8ee8439a7e2080e6427aac76930341b66f
            """,
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQClpalJmQCD/evjFowTXmypfPaVN38OCGlY5VZ+48mptPCudTh6Xw3Pbqeff2AjhR8vraRcznGL9CGAfQdMZeTgq7QiX0ML9F176hPP+GE+oE5jNsb1OMnpLWoFYCy74WOyai45RCR/mNOrzbfMwU4qfcwh6rx2+5K3fT5m5ukjbOGsgh6MFYuaFWnl4ZOGSGL22ilvWbNXdmqifI8WZxcnkQuu6wj2vR57658THRotocyP57Z9JUoUxUL2nb6gWqNo621pSH1RKJca9k7aKgCjBNSEdFsVmnX5VRM+Na0wyFMAKds0WnaODyVtBuBOlgyYjxUGMubnjBXf8Y+bcHvH"),
        ["rsa.v3"] = (
            """
            PuTTY-User-Key-File-3: ssh-rsa
            Encryption: none
            Comment: rsa from ssh-keygen
            Public-Lines: 6
            AAAAB3NzaC1yc2EAAAADAQABAAABAQClpalJmQCD/evjFowTXmypfPaVN38OCGlY
            5VZ+48mptPCudTh6Xw3Pbqeff2AjhR8vraRcznGL9CGAfQdMZeTgq7QiX0ML9F17
            6hPP+GE+oE5jNsb1OMnpLWoFYCy74WOyai45RCR/mNOrzbfMwU4qfcwh6rx2+5K3
            fT5m5ukjbOGsgh6MFYuaFWnl4ZOGSGL22ilvWbNXdmqifI8WZxcnkQuu6wj2vR57
            658THRotocyP57Z9JUoUxUL2nb6gWqNo621pSH1RKJca9k7aKgCjBNSEdFsVmnX5
            VRM+Na0wyFMAKds0WnaODyVtBuBOlgyYjxUGMubnjBXf8Y+bcHvH
            Private-Lines: 14
            AAABABtzfkAM+T8RMWqDUzhnLBEp0pV89R3cD//5lbbWmhYj6cUHoRH1Nw0wHzBO
            rsiEKFxsOt0Jy1sbB1hLSrkto7CwqTFkYcXqkSQsG8IZ5/Jgek0f3U3zQ3wp7gmG
            XDN7UTHWkzgjTlHPqmMs5u+pqKy1se18Vg+jy7cugXe9Ka1tz+tJfZfxI017Ou6u
            nLwFq9+vDA0pAbyxvHk5todP85YjlacYL9m3WHuDL2yAxA4nMfsYkjkFk0qBgcS8
            S7qiYUq4pHUTZlcJBy9hRfA2SiXjoxb//71BTH/CmI+Qgl1I5t6GXKF69Jk66qQx
            1z0JQUVpnv3BPMIWNFI/IUtuaQ0AAACBAN7NxZph9+zwV+ytptssQfiHDxJPQdlK
            Nyw68yR4jG8qjsg5WC0oMQksFsgQ401FOl2U05teW1wMGXs9MCbOJFAZ/YBjsVpd
            Cd2wJdYO6yZOiOltTLI/2erINLrNQBkaP8U3HOIFTFKp9WXxNr46IGPsrJjP4Gbz
            VseGr886vuQFAAAAgQC+U864QwVS/FoDk3etMQuXkA9Tmn7j/nL1V+KdXD2wHT3z
            NTKGh4sBjw515VvT3vtGbpEpcPxDGXZTnLOTdE2TckWJ66lq89ogrwWR1Z+GRJYr
            QlOxNl5VVrpElTe0WISVGxl+ZQ3hChq7rqLk65BuoMMDLamUEmtQKzBHz5kWWwAA
            AIBAs7VGaQmv1fkKb3Cn9Y5EhxdXuSF+OyvS7Qw1Qe2ZFm4yNb+pILeT38hY+D/6
            wB3p+uibR0yyILwPt6VdPEkwQtzkYUMxu3vDBYsggiAR1Vu6op8hUzvjN5PYZosr
            m4HsAazssUaLIls8TLJJ5Qr6fnUi33PdaMKld7Vq9yeCfw==
            Private-MAC: c648028aaa68129adf65926ba3d6068c1f3d75a6c5e76b773e4b0fd46d3a8886
            """,
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQClpalJmQCD/evjFowTXmypfPaVN38OCGlY5VZ+48mptPCudTh6Xw3Pbqeff2AjhR8vraRcznGL9CGAfQdMZeTgq7QiX0ML9F176hPP+GE+oE5jNsb1OMnpLWoFYCy74WOyai45RCR/mNOrzbfMwU4qfcwh6rx2+5K3fT5m5ukjbOGsgh6MFYuaFWnl4ZOGSGL22ilvWbNXdmqifI8WZxcnkQuu6wj2vR57658THRotocyP57Z9JUoUxUL2nb6gWqNo621pSH1RKJca9k7aKgCjBNSEdFsVmnX5VRM+Na0wyFMAKds0WnaODyVtBuBOlgyYjxUGMubnjBXf8Y+bcHvH"),
        ["rsa.v3enc"] = (
            """
            PuTTY-User-Key-File-3: ssh-rsa
            Encryption: aes256-cbc
            Comment: rsa from ssh-keygen
            Public-Lines: 6
            AAAAB3NzaC1yc2EAAAADAQABAAABAQClpalJmQCD/evjFowTXmypfPaVN38OCGlY
            5VZ+48mptPCudTh6Xw3Pbqeff2AjhR8vraRcznGL9CGAfQdMZeTgq7QiX0ML9F17
            6hPP+GE+oE5jNsb1OMnpLWoFYCy74WOyai45RCR/mNOrzbfMwU4qfcwh6rx2+5K3
            fT5m5ukjbOGsgh6MFYuaFWnl4ZOGSGL22ilvWbNXdmqifI8WZxcnkQuu6wj2vR57
            658THRotocyP57Z9JUoUxUL2nb6gWqNo621pSH1RKJca9k7aKgCjBNSEdFsVmnX5
            VRM+Na0wyFMAKds0WnaODyVtBuBOlgyYjxUGMubnjBXf8Y+bcHvH
            Key-Derivation: Argon2id
            Argon2-Memory: 1024
            Argon2-Passes: 2
            Argon2-Parallelism: 1
            Argon2-Salt: 498160c59e574bac9f74706c16b50850
            Private-Lines: 14
            3V098sdaR7zaMxCUsUSbZSQbyfm1VcHoo5dwGnUJmVw5jf372HaNYVg0OTTVe6W5
            sg4QvjOuuQQCJayB05NZfRP1mZOGq3AUBhidBIpssBsLNxTg3rJ3pzGKYbK0Z8Xq
            c40HGOoXromcHsqtO8EdTcRlvGQ3s3SXLjf4uPQ1zHMpt2UHU4/q9FyrLzrDMAtU
            cD/PNNGpuOzx8fs5hRdzAvNB1OXiFUGxOsZ+EgDe72beN0UxMGUnWqzT7SxeGonI
            rdCRLRW7sO0ZqEd6mfiZhpSBZlNbzu7nUUXX8D7UeNi8PVPRcSCLVSN8pyke56c3
            aggS3SscJVGQgsnWcmPAA95tiF1rDwSntdtMAhSOXClodwXVxwekGeWOdw90z+JS
            Oq/ctadA9cT1WVq/5xV+0RBpMQOGu58T54k95plOxhP6N/gTquTXLYWL7NLcJtfz
            YfWtSu0fXh+8PIh8O5hyLK3WjsMiQGaIkR+NApBPkyqjk8+Go2iGMAwo/W82o4Q0
            W6ZOAYJhxvSs+5slV0x82dZAhbLAGNuiPriD608BYIg+zJkSooSJiCnmQ2AfJGzd
            6JykVNMDJmkjlf88FTzZybTKl9eBdkVwMF1SKQRoO8xY8ZYa/6sZ1pNgS425G5z/
            02mJk252LMfd2Y8Wy1xfbHl9W4QZo/9LLXBCXBXFqNC1YT37jaZwX1B3x9Be7l+r
            m4pMv9EAJfUt+q9kc9hdzfeMzK3zHdQIaCtgMx3e3y1Nk0WYX+oE3IadyEm98nL+
            SJ2CcJX7vk+8uyh1lgROFE3yaESUln4EhjdNMah0EYCLcy7rWM4LxNcGs46wqjBz
            hHmyKNGqEgczba4b41jPWStXtbYQ9RycHTC9uInDrbntKkdV2UaoO+soXkhCl7nV
            Private-MAC: 7191869eb153f42f753d7edcc3f537d24c99c80e479805fb9c1a30e7ae7ac2f0
            """,
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQClpalJmQCD/evjFowTXmypfPaVN38OCGlY5VZ+48mptPCudTh6Xw3Pbqeff2AjhR8vraRcznGL9CGAfQdMZeTgq7QiX0ML9F176hPP+GE+oE5jNsb1OMnpLWoFYCy74WOyai45RCR/mNOrzbfMwU4qfcwh6rx2+5K3fT5m5ukjbOGsgh6MFYuaFWnl4ZOGSGL22ilvWbNXdmqifI8WZxcnkQuu6wj2vR57658THRotocyP57Z9JUoUxUL2nb6gWqNo621pSH1RKJca9k7aKgCjBNSEdFsVmnX5VRM+Na0wyFMAKds0WnaODyVtBuBOlgyYjxUGMubnjBXf8Y+bcHvH"),
    };
}
