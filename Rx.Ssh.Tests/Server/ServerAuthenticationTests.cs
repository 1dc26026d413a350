using System.Net;
using Rx.Ssh.Keys;
using Rx.Ssh.Messages;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Server;

/// <summary>The server's authentication policy: which requests succeed, which fail, and how.</summary>
public sealed class ServerAuthenticationTests
{
    private static readonly Lazy<SshPrivateKey> Ed25519 = new(() => SshPrivateKey.Generate("ssh-ed25519"));
    private static readonly Lazy<SshPrivateKey> Ecdsa = new(() => SshPrivateKey.Generate("ecdsa-sha2-nistp256"));
    private static readonly Lazy<SshPrivateKey> Rsa = new(() => SshPrivateKey.Generate("ssh-rsa", 2048));

    private static SshPrivateKey Key(string type) => type switch
    {
        "ssh-ed25519" => Ed25519.Value,
        "ecdsa-sha2-nistp256" => Ecdsa.Value,
        _ => Rsa.Value,
    };

    private static SshServerOptions KeyServer(string authorizedKeys) => InMemoryServer.DefaultServerOptions() with
    {
        AuthorizedKeys = user => user == "alice" ? AuthorizedKeysFile.Parse(authorizedKeys) : null,
    };

    private static string Line(SshPrivateKey key, string options = "") =>
        (options.Length > 0 ? options + " " : string.Empty) + key.PublicKey.ToOpenSshString("test") + "\n";

    [Fact]
    public async Task Password_right_is_accepted_and_wrong_is_refused()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(InMemoryServer.DefaultServerOptions());
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendPasswordAsync("alice", "wrong");
            AssertFailure(await client.ReceiveSkippingBannersAsync());
            await client.SendPasswordAsync("alice", "secret");
            Assert.Equal(MessageNumber.UserAuthSuccess, (await client.ReceiveAsync())[0]);
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            Assert.Equal("alice", connection.UserName);
            Assert.Null(connection.KeyOptions);
        }
    }

    [Theory]
    [InlineData("ssh-ed25519", "ssh-ed25519")]
    [InlineData("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256")]
    [InlineData("ssh-rsa", "rsa-sha2-256")]
    [InlineData("ssh-rsa", "rsa-sha2-512")]
    public async Task Publickey_in_authorized_keys_is_accepted(string keyType, string algorithm)
    {
        SshPrivateKey key = Key(keyType);
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(KeyServer(Line(key)));
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendPublicKeyAsync("alice", key, algorithm, sign: true);
            Assert.Equal(MessageNumber.UserAuthSuccess, (await client.ReceiveSkippingBannersAsync())[0]);
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            Assert.NotNull(connection.KeyOptions);
        }
    }

    [Fact]
    public async Task Rx_client_logs_in_with_a_key_from_authorized_keys()
    {
        SshPrivateKey key = Ed25519.Value;
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { Password = null, Keys = [key] };

        await using InMemoryServer pair = await InMemoryServer.StartAsync(KeyServer(Line(key)), client);

        Assert.Equal("alice", pair.Server.UserName);
        Assert.NotNull(pair.Server.KeyOptions);
    }

    [Fact]
    public async Task Publickey_signed_by_a_key_not_in_the_file_is_refused()
    {
        SshPrivateKey other = SshPrivateKey.Generate("ssh-ed25519");
        Assert.False(await TrySignedKeyAsync(KeyServer(Line(Ed25519.Value)), other));
    }

    [Fact]
    public async Task Publickey_with_a_bad_signature_is_refused()
    {
        // The blob is the listed key, the signature is another key's.
        SshPrivateKey listed = Ed25519.Value;
        SshPrivateKey other = SshPrivateKey.Generate("ssh-ed25519");
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(KeyServer(Line(listed)));
        await using (client)
        {
            await client.RequestUserAuthAsync();
            byte[] blob = listed.PublicKey.Blob.ToArray();
            byte[] signature = other.Sign("ssh-ed25519", new byte[] { 1, 2, 3 });
            await client.SendAuthRequestAsync("alice", "publickey", w =>
            {
                w.WriteBoolean(true);
                w.WriteString("ssh-ed25519");
                w.WriteString(blob);
                w.WriteString(signature);
            });
            AssertFailure(await client.ReceiveSkippingBannersAsync());
        }
    }

    [Theory]
    [InlineData("from=\"10.0.0.0/8\"", true)]
    [InlineData("from=\"192.168.0.0/16\"", false)]
    [InlineData("from=\"*,!10.1.2.3\"", false)]
    public async Task From_option_is_matched_against_the_client_address(string option, bool accepted)
    {
        var remote = new IPEndPoint(IPAddress.Parse("10.1.2.3"), 40000);
        Assert.Equal(accepted, await TrySignedKeyAsync(KeyServer(Line(Ed25519.Value, option)), Ed25519.Value, remote));
    }

    [Fact]
    public async Task From_option_refuses_a_client_without_an_address()
    {
        Assert.False(await TrySignedKeyAsync(KeyServer(Line(Ed25519.Value, "from=\"*\"")), Ed25519.Value));
    }

    [Theory]
    [InlineData("expiry-time=\"20200101\"", false)]
    [InlineData("expiry-time=\"20991231\"", true)]
    public async Task Expiry_time_in_the_past_is_refused(string option, bool accepted)
    {
        Assert.Equal(accepted, await TrySignedKeyAsync(KeyServer(Line(Ed25519.Value, option)), Ed25519.Value));
    }

    [Fact]
    public async Task Expiry_time_is_judged_on_the_server_scheduler()
    {
        // The virtual clock starts in 2026: a key that expired in 2025 is refused even though it is signed correctly.
        var clock = new VirtualClock();
        SshServerOptions options = KeyServer(Line(Ed25519.Value, "expiry-time=\"20250601\"")) with { Scheduler = clock };
        Assert.False(await TrySignedKeyAsync(options, Ed25519.Value));
        options = KeyServer(Line(Ed25519.Value, "expiry-time=\"20260102\"")) with { Scheduler = clock };
        Assert.True(await TrySignedKeyAsync(options, Ed25519.Value));
    }

    [Fact]
    public async Task Publickey_query_gets_pk_ok_only_for_acceptable_keys()
    {
        SshPrivateKey listed = Ecdsa.Value;
        SshPrivateKey other = SshPrivateKey.Generate("ecdsa-sha2-nistp256");
        SshPrivateKey expired = Ed25519.Value;
        string file = Line(listed) + Line(expired, "expiry-time=\"20200101\"");
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(KeyServer(file));
        await using (client)
        {
            await client.RequestUserAuthAsync();

            await client.SendPublicKeyAsync("alice", listed, "ecdsa-sha2-nistp256", sign: false);
            byte[] ok = await client.ReceiveSkippingBannersAsync();
            Assert.Equal(MessageNumber.UserAuthPkOk, ok[0]);
            var r = new SshReader(ok.AsSpan(1));
            Assert.Equal("ecdsa-sha2-nistp256", r.ReadAsciiString());
            Assert.True(r.ReadString().SequenceEqual(listed.PublicKey.Blob.Span));
            r.ReadEnd();

            await client.SendPublicKeyAsync("alice", other, "ecdsa-sha2-nistp256", sign: false);
            AssertFailure(await client.ReceiveAsync());
            await client.SendPublicKeyAsync("alice", expired, "ssh-ed25519", sign: false);
            AssertFailure(await client.ReceiveAsync());
            await client.SendPublicKeyAsync("bob", listed, "ecdsa-sha2-nistp256", sign: false);
            AssertFailure(await client.ReceiveAsync());

            // Back to alice: her authorized_keys apply again, not bob's (none).
            await client.SendPublicKeyAsync("alice", listed, "ecdsa-sha2-nistp256", sign: false);
            Assert.Equal(MessageNumber.UserAuthPkOk, (await client.ReceiveAsync())[0]);
        }
    }

    [Fact]
    public async Task Keyboard_interactive_runs_a_custom_multi_round_exchange()
    {
        var rounds = new List<IReadOnlyList<string>>();
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with
        {
            PasswordValidator = null,
            KeyboardInteractiveChallenge = context => ValueTask.FromResult<SshKeyboardInteractiveChallenge?>(
                new SshKeyboardInteractiveChallenge("Login", "Two questions", [new SshPrompt("Name: ", Echo: true), new SshPrompt("PIN: ")])),
            KeyboardInteractiveValidator = (context, answers) =>
            {
                rounds.Add(answers);
                SshKeyboardInteractiveResult result = rounds.Count switch
                {
                    1 when answers is ["alice", "1234"] => SshKeyboardInteractiveResult.Continue(
                        new SshKeyboardInteractiveChallenge("Second factor", string.Empty, [new SshPrompt("Code: ")])),
                    2 when answers is ["424242"] => SshKeyboardInteractiveResult.Accept,
                    _ => SshKeyboardInteractiveResult.Reject,
                };
                return ValueTask.FromResult(result);
            },
        };
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendAuthRequestAsync("alice", "keyboard-interactive", w =>
            {
                w.WriteString(string.Empty);
                w.WriteString(string.Empty);
            });

            (string name, string instruction, (string Text, bool Echo)[] prompts) = ReadInfoRequest(await client.ReceiveSkippingBannersAsync());
            Assert.Equal("Login", name);
            Assert.Equal("Two questions", instruction);
            Assert.Equal([("Name: ", true), ("PIN: ", false)], prompts);
            await SendInfoResponseAsync(client, "alice", "1234");

            (name, _, prompts) = ReadInfoRequest(await client.ReceiveAsync());
            Assert.Equal("Second factor", name);
            Assert.Equal([("Code: ", false)], prompts);
            await SendInfoResponseAsync(client, "424242");

            Assert.Equal(MessageNumber.UserAuthSuccess, (await client.ReceiveAsync())[0]);
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            Assert.Equal(2, rounds.Count);
        }
    }

    [Fact]
    public async Task Keyboard_interactive_wrong_answer_fails_and_may_be_retried()
    {
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with
        {
            KeyboardInteractiveChallenge = _ => ValueTask.FromResult<SshKeyboardInteractiveChallenge?>(
                new SshKeyboardInteractiveChallenge(string.Empty, string.Empty, [new SshPrompt("A: "), new SshPrompt("B: ")])),
            KeyboardInteractiveValidator = (_, answers) => ValueTask.FromResult<SshKeyboardInteractiveResult>(answers is ["a", "b"]),
        };
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            foreach ((string a, string b, byte expected) in new[] { ("x", "y", MessageNumber.UserAuthFailure), ("a", "b", MessageNumber.UserAuthSuccess) })
            {
                await client.SendAuthRequestAsync("alice", "keyboard-interactive", w =>
                {
                    w.WriteString(string.Empty);
                    w.WriteString(string.Empty);
                });
                ReadInfoRequest(await client.ReceiveSkippingBannersAsync());
                await SendInfoResponseAsync(client, a, b);
                Assert.Equal(expected, (await client.ReceiveAsync())[0]);
            }
        }
    }

    [Fact]
    public async Task Keyboard_interactive_with_the_wrong_number_of_answers_is_a_protocol_error()
    {
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with
        {
            KeyboardInteractiveChallenge = _ => ValueTask.FromResult<SshKeyboardInteractiveChallenge?>(
                new SshKeyboardInteractiveChallenge(string.Empty, string.Empty, [new SshPrompt("A: "), new SshPrompt("B: ")])),
        };
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendAuthRequestAsync("alice", "keyboard-interactive", w =>
            {
                w.WriteString(string.Empty);
                w.WriteString(string.Empty);
            });
            ReadInfoRequest(await client.ReceiveSkippingBannersAsync());
            await SendInfoResponseAsync(client, "only one");
            SshConnectionException error = await client.ExpectDisconnectAsync();
            Assert.False(error.IsLocal);
            Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        }
    }

    [Fact]
    public async Task None_is_accepted_when_authentication_is_not_required()
    {
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with { AuthenticationRequired = user => user != "guest" };
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendAuthRequestAsync("alice", "none");
            AssertFailure(await client.ReceiveSkippingBannersAsync());
        }

        (client, server) = await RawSshClient.StartInMemoryAsync(options with { AuthenticationRequired = user => user == "alice" });
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendAuthRequestAsync("guest", "none");
            Assert.Equal(MessageNumber.UserAuthSuccess, (await client.ReceiveSkippingBannersAsync())[0]);
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            Assert.Equal("guest", connection.UserName);
        }
    }

    [Fact]
    public async Task Rx_client_gets_in_with_none_when_authentication_is_not_required()
    {
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with { AuthenticationRequired = _ => false };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { UserName = "anyone", Password = null };

        await using InMemoryServer pair = await InMemoryServer.StartAsync(options, client);

        Assert.Equal("anyone", pair.Server.UserName);
    }

    [Fact]
    public async Task Too_many_failures_disconnect_with_no_more_auth_methods()
    {
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with { MaxAuthAttempts = 3 };
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            for (int i = 0; i < 2; i++)
            {
                await client.SendPasswordAsync("alice", "wrong" + i);
                AssertFailure(await client.ReceiveSkippingBannersAsync());
            }

            // The first "none" does not count (every client sends it to learn the methods); a third wrong password does.
            await client.SendAuthRequestAsync("alice", "none");
            AssertFailure(await client.ReceiveAsync());
            await client.SendPasswordAsync("alice", "wrong2");
            SshConnectionException error = await client.ExpectDisconnectAsync();
            Assert.False(error.IsLocal);
            Assert.Equal(DisconnectReason.NoMoreAuthMethodsAvailable, error.Reason);
        }

        SshConnectionException serverError = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WaitAsync(TestTimeout.Default));
        Assert.Equal(DisconnectReason.NoMoreAuthMethodsAvailable, serverError.Reason);
    }

    [Fact]
    public async Task Failed_publickey_queries_count_toward_the_limit()
    {
        SshServerOptions options = KeyServer(Line(Ed25519.Value)) with { MaxAuthAttempts = 3 };
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            for (int i = 0; i < 2; i++)
            {
                await client.SendPublicKeyAsync("alice", SshPrivateKey.Generate("ssh-ed25519"), "ssh-ed25519", sign: false);
                AssertFailure(await client.ReceiveSkippingBannersAsync());
            }

            // A query for an accepted key is no failure...
            await client.SendPublicKeyAsync("alice", Ed25519.Value, "ssh-ed25519", sign: false);
            Assert.Equal(MessageNumber.UserAuthPkOk, (await client.ReceiveAsync())[0]);

            // ...but a third unknown key ends the probing.
            await client.SendPublicKeyAsync("alice", SshPrivateKey.Generate("ssh-ed25519"), "ssh-ed25519", sign: false);
            SshConnectionException error = await client.ExpectDisconnectAsync();
            Assert.Equal(DisconnectReason.NoMoreAuthMethodsAvailable, error.Reason);
        }
    }

    [Fact]
    public async Task Only_the_first_none_is_free()
    {
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with { MaxAuthAttempts = 2 };
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendAuthRequestAsync("alice", "none");
            AssertFailure(await client.ReceiveSkippingBannersAsync());
            await client.SendAuthRequestAsync("alice", "none");
            AssertFailure(await client.ReceiveAsync());
            await client.SendAuthRequestAsync("alice", "none");
            SshConnectionException error = await client.ExpectDisconnectAsync();
            Assert.Equal(DisconnectReason.NoMoreAuthMethodsAvailable, error.Reason);
        }
    }

    public static TheoryData<string> MalformedUserNames =>
    [
        "../../../../dev/zero", "a/b", "a\\b", "nul\0x", "esc\u001b[2Jx", "line\nbreak", "del\u007f", "rtl\u202eoverride", ".", "..", "", new string('a', 257), new string('\u00e9', 129),
    ];

    [Theory]
    [MemberData(nameof(MalformedUserNames))]
    public async Task Malformed_user_names_fail_without_reaching_any_callback(string user)
    {
        var seen = new List<string>();
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with
        {
            MaxAuthAttempts = 2,
            AuthorizedKeys = name =>
            {
                seen.Add("keys " + name);
                return null;
            },
            AuthenticationRequired = name =>
            {
                seen.Add("required " + name);
                return true;
            },
            PasswordValidator = (context, password) =>
            {
                seen.Add("password " + context.UserName);
                return ValueTask.FromResult(true);
            },
        };
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendPasswordAsync(user, "anything");
            AssertFailure(await client.ReceiveSkippingBannersAsync());

            // The refusal counts as a failure.
            await client.SendPasswordAsync(user, "anything");
            Assert.Equal(DisconnectReason.NoMoreAuthMethodsAvailable, (await client.ExpectDisconnectAsync()).Reason);
        }

        Assert.Empty(seen);
    }

    [Fact]
    public async Task A_user_name_of_256_bytes_is_accepted()
    {
        string user = new('a', 256);
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with
        {
            PasswordValidator = (context, password) => ValueTask.FromResult(context.UserName == user && password == "secret"),
        };
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendPasswordAsync(user, "secret");
            Assert.Equal(MessageNumber.UserAuthSuccess, (await client.ReceiveSkippingBannersAsync())[0]);
            await (await server.WaitAsync(TestTimeout.Default)).DisposeAsync();
        }
    }

    [Fact]
    public async Task An_authorized_keys_file_that_cannot_be_read_admits_no_key()
    {
        SshServerOptions options = KeyServer(Line(Ed25519.Value)) with
        {
            AuthorizedKeys = _ => AuthorizedKeysFile.Load("/dev/zero"),
        };

        Assert.False(await TrySignedKeyAsync(options, Ed25519.Value));
    }

    [Fact]
    public async Task Failure_lists_the_methods_that_can_continue()
    {
        SshServerOptions options = KeyServer(Line(Ed25519.Value));
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendAuthRequestAsync("alice", "none");
            Assert.Equal(["publickey", "keyboard-interactive", "password"], AssertFailure(await client.ReceiveSkippingBannersAsync()));
            await client.SendAuthRequestAsync("alice", "hostbased");
            AssertFailure(await client.ReceiveAsync());
        }
    }

    private static async Task<bool> TrySignedKeyAsync(SshServerOptions options, SshPrivateKey key, EndPoint? remote = null)
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(options, remote);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendPublicKeyAsync("alice", key, key.SignatureAlgorithms[0], sign: true);
            byte[] reply = await client.ReceiveSkippingBannersAsync();
            if (reply[0] == MessageNumber.UserAuthSuccess)
            {
                await (await server.WaitAsync(TestTimeout.Default)).DisposeAsync();
                return true;
            }

            AssertFailure(reply);
            return false;
        }
    }

    internal static string[] AssertFailure(byte[] reply)
    {
        Assert.Equal(MessageNumber.UserAuthFailure, reply[0]);
        var r = new SshReader(reply.AsSpan(1));
        string[] methods = r.ReadNameList();
        Assert.False(r.ReadBoolean());
        return methods;
    }

    private static (string Name, string Instruction, (string Text, bool Echo)[] Prompts) ReadInfoRequest(byte[] payload)
    {
        Assert.Equal(MessageNumber.UserAuthInfoRequest, payload[0]);
        var r = new SshReader(payload.AsSpan(1));
        string name = r.ReadUtf8String();
        string instruction = r.ReadUtf8String();
        r.ReadString();
        var prompts = new (string, bool)[r.ReadUInt32()];
        for (int i = 0; i < prompts.Length; i++)
        {
            prompts[i] = (r.ReadUtf8String(), r.ReadBoolean());
        }

        r.ReadEnd();
        return (name, instruction, prompts);
    }

    private static Task SendInfoResponseAsync(RawSshClient client, params string[] answers) => client.SendAsync(w =>
    {
        w.WriteByte(MessageNumber.UserAuthInfoResponse);
        w.WriteUInt32((uint)answers.Length);
        foreach (string answer in answers)
        {
            w.WriteString(answer);
        }
    });
}
