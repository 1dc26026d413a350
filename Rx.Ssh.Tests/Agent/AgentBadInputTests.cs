using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Rx.Ssh.Client;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Agent;

/// <summary>
/// An agent socket that is missing, or a fake agent answering garbage, a lying length, the wrong
/// message or a refusal: each a typed <see cref="SshAgentException"/> naming the socket, and never a hang.
/// </summary>
public sealed class AgentBadInputTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task A_socket_that_does_not_exist_is_unavailable_and_named()
    {
        string path = Path.Combine(Path.GetTempPath(), "rx-no-agent-" + Guid.NewGuid().ToString("N")[..8], "agent.sock");

        var error = await Assert.ThrowsAsync<SshAgentException>(() => SshAgentClient.ConnectAsync(path).WithTimeout());

        Assert.Equal(SshAgentFailure.Unavailable, error.Failure);
        Assert.Equal(path, error.SocketPath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_length_over_the_bound_is_an_invalid_reply_read_no_further()
    {
        await using var fake = new FakeAgent(FakeAgent.Always([0xFF, 0xFF, 0xFF, 0xF0, 12, 0, 0]));
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(fake.SocketPath).WithTimeout();

        var error = await Assert.ThrowsAsync<SshAgentException>(() => client.GetIdentitiesAsync().WithTimeout());

        Assert.Equal(SshAgentFailure.InvalidReply, error.Failure);
        Assert.Contains(fake.SocketPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("4294967280", error.Message, StringComparison.Ordinal);
        // The conversation is out of step: the connection is closed, later requests say so.
        var later = await Assert.ThrowsAsync<SshAgentException>(() => client.RemoveAllAsync().WithTimeout());
        Assert.Equal(SshAgentFailure.Unavailable, later.Failure);
    }

    [Fact]
    public async Task A_length_that_lies_and_then_stalls_times_out_within_the_request_timeout()
    {
        // Claims 1000 bytes, sends 3, then keeps the socket open.
        await using var fake = new FakeAgent(FakeAgent.Always([0, 0, 3, 0xE8, 12, 0, 0]));
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(fake.SocketPath, Short).WithTimeout();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SshAgentException>(() => client.GetIdentitiesAsync().WithTimeout());

        Assert.Equal(SshAgentFailure.TimedOut, error.Failure);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.InRange(clock.Elapsed, Short - TimeSpan.FromMilliseconds(50), TestTimeout.Default);
    }

    [Fact]
    public async Task A_reply_cut_short_by_the_agent_closing_is_an_invalid_reply()
    {
        await using var fake = new FakeAgent(async (_, socket) =>
        {
            await socket.SendAsync(new byte[] { 0, 0, 0, 100, 12, 0 });
            socket.Shutdown(SocketShutdown.Both);
        });
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(fake.SocketPath).WithTimeout();

        var error = await Assert.ThrowsAsync<SshAgentException>(() => client.GetIdentitiesAsync().WithTimeout());

        Assert.Equal(SshAgentFailure.InvalidReply, error.Failure);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_closes_without_answering_is_unavailable()
    {
        await using var fake = new FakeAgent((_, socket) =>
        {
            socket.Shutdown(SocketShutdown.Both);
            return Task.CompletedTask;
        });
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(fake.SocketPath).WithTimeout();

        var error = await Assert.ThrowsAsync<SshAgentException>(() => client.GetIdentitiesAsync().WithTimeout());

        Assert.Equal(SshAgentFailure.Unavailable, error.Failure);
    }

    [Theory]
    [InlineData(new byte[] { 14 }, "message type 14")]                                   // a sign response to a list request
    [InlineData(new byte[] { 12, 0, 0, 0, 200 }, "200 identities")]                       // a count that cannot fit
    [InlineData(new byte[] { 12, 0, 0, 0, 1, 0, 0, 0, 9, 1, 2 }, "malformed")]           // a blob longer than the message
    [InlineData(new byte[] { 12, 0, 0, 0, 0, 7 }, "malformed")]                           // a trailing byte
    public async Task Garbage_in_the_identities_answer_is_an_invalid_reply(byte[] contents, string said)
    {
        await using var fake = new FakeAgent(FakeAgent.Always(FakeAgent.Frame(contents)));
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(fake.SocketPath).WithTimeout();

        var error = await Assert.ThrowsAsync<SshAgentException>(() => client.GetIdentitiesAsync().WithTimeout());

        Assert.Equal(SshAgentFailure.InvalidReply, error.Failure);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_to_sign_is_refused_and_the_connection_stays_usable()
    {
        await using var fake = new FakeAgent(async (request, socket) =>
            await socket.SendAsync(request[0] == 13 ? FakeAgent.Frame(5) : FakeAgent.Frame(12, 0, 0, 0, 0)));
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(fake.SocketPath).WithTimeout();
        var key = SshPublicKey.Parse(TestKeys.Ed25519.PublicKeyLine);

        var error = await Assert.ThrowsAsync<SshAgentException>(() => client.SignAsync(key, "ssh-ed25519", new byte[] { 1, 2, 3 }).WithTimeout());

        Assert.Equal(SshAgentFailure.Refused, error.Failure);
        Assert.Contains(fake.SocketPath, error.Message, StringComparison.Ordinal);
        Assert.Empty(await client.GetIdentitiesAsync().WithTimeout());
    }

    [Fact]
    public async Task An_agent_answering_sha1_to_a_sha2_request_is_an_invalid_reply()
    {
        await using var fake = new FakeAgent(async (request, socket) =>
        {
            Assert.Equal(4u, BinaryPrimitives.ReadUInt32BigEndian(request.AsSpan(request.Length - 4))); // SSH_AGENT_RSA_SHA2_512
            byte[] name = "ssh-rsa"u8.ToArray();
            byte[] blob = [0, 0, 0, (byte)name.Length, .. name, 0, 0, 0, 1, 9];
            await socket.SendAsync(FakeAgent.Frame([14, 0, 0, 0, (byte)blob.Length, .. blob]));
        });
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(fake.SocketPath).WithTimeout();
        var key = SshPublicKey.Parse(TestKeys.Rsa2048.PublicKeyLine);

        var error = await Assert.ThrowsAsync<SshAgentException>(() => client.SignAsync(key, "rsa-sha2-512", new byte[] { 1 }).WithTimeout());

        Assert.Equal(SshAgentFailure.InvalidReply, error.Failure);
        Assert.Contains("ssh-rsa signature when rsa-sha2-512 was asked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_of_an_unknown_type_is_left_out_of_the_list()
    {
        byte[] dss = [0, 0, 0, 7, .. "ssh-dss"u8, 0, 0, 0, 1, 1];
        byte[] ed = Convert.FromBase64String(TestKeys.Ed25519.PublicKeyBase64);
        byte[] contents = [12, 0, 0, 0, 2, 0, 0, 0, (byte)dss.Length, .. dss, 0, 0, 0, 1, (byte)'a', 0, 0, 0, (byte)ed.Length, .. ed, 0, 0, 0, 1, (byte)'b'];
        await using var fake = new FakeAgent(FakeAgent.Always(FakeAgent.Frame(contents)));
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(fake.SocketPath).WithTimeout();

        SshAgentIdentity identity = Assert.Single(await client.GetIdentitiesAsync().WithTimeout());

        Assert.Equal("b", identity.Comment);
        Assert.Equal(ed, identity.PublicKey.Blob.ToArray());
    }

    [Fact]
    public async Task Requests_are_framed_as_the_protocol_says()
    {
        await using var fake = new FakeAgent(async (request, socket) => await socket.SendAsync(FakeAgent.Frame(6)));
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(fake.SocketPath).WithTimeout();

        await client.RemoveAllAsync().WithTimeout();
        await client.LockAsync("pw").WithTimeout();
        await client.UnlockAsync("pw").WithTimeout();

        Assert.Equal([[19], [22, 0, 0, 0, 2, (byte)'p', (byte)'w'], [23, 0, 0, 0, 2, (byte)'p', (byte)'w']], fake.Requests);
    }

    [Fact]
    public async Task Cancelling_a_request_stops_it_and_closes_the_connection()
    {
        await using var fake = new FakeAgent((_, _) => Task.CompletedTask); // never answers
        await using SshAgentClient client = await SshAgentClient.ConnectAsync(fake.SocketPath).WithTimeout();
        using var cancel = new CancellationTokenSource(Short);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetIdentitiesAsync(cancel.Token).WithTimeout());

        var later = await Assert.ThrowsAsync<SshAgentException>(() => client.GetIdentitiesAsync().WithTimeout());
        Assert.Equal(SshAgentFailure.Unavailable, later.Failure);
    }

    [Fact]
    public void The_client_reads_the_agent_path_from_the_options_then_the_environment()
    {
        Func<string, string?> env = name => name == "SSH_AUTH_SOCK" ? "/run/env.sock" : null;

        Assert.Equal("/run/env.sock", ClientKeys.AgentPathFor(new SshClientOptions(), env));
        Assert.Equal("/run/mine.sock", ClientKeys.AgentPathFor(new SshClientOptions { AgentPath = "/run/mine.sock" }, env));
        Assert.Null(ClientKeys.AgentPathFor(new SshClientOptions { UseAgent = false }, env));
        Assert.Null(ClientKeys.AgentPathFor(new SshClientOptions(), _ => ""));
        Assert.Null(ClientKeys.AgentPathFor(new SshClientOptions(), _ => null));

        // Agent forwarding relays to the same socket, whether or not the agent signs.
        Assert.Equal("/run/env.sock", ClientKeys.AgentSocketFor(new SshClientOptions { UseAgent = false, AgentPath = "" }, env));
        Assert.Equal("/run/mine.sock", ClientKeys.AgentSocketFor(new SshClientOptions { UseAgent = false, AgentPath = "/run/mine.sock" }, env));
        Assert.Null(ClientKeys.AgentSocketFor(new SshClientOptions(), _ => null));
    }
}
