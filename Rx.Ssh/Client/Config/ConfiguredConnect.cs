using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Client.Config;

/// <summary>
/// A connect by host name after the OpenSSH client configuration: the host and port to dial, the
/// effective options, and the forwards to start once connected (owned by the connection).
/// <see cref="SshClient"/> calls <see cref="Resolve"/> first and <see cref="StartAsync"/> on the
/// authenticated connection.
/// </summary>
internal sealed class ConfiguredConnect
{
    private readonly IReadOnlyList<ConfigForward> _forwards;
    private readonly bool _exitOnForwardFailure;
    private readonly bool _gatewayPorts;

    private ConfiguredConnect(string host, int port, SshClientOptions options, IReadOnlyList<ConfigForward> forwards, bool exitOnForwardFailure, bool gatewayPorts)
    {
        Host = host;
        Port = port;
        Options = options;
        _forwards = forwards;
        _exitOnForwardFailure = exitOnForwardFailure;
        _gatewayPorts = gatewayPorts;
    }

    /// <summary>The host to dial: HostName, else the name given.</summary>
    public string Host { get; }

    /// <summary>The port: the code's (when not 22), else Port, else 22.</summary>
    public int Port { get; }

    /// <summary>The options with the configuration's values filled in.</summary>
    public SshClientOptions Options { get; }

    /// <summary>
    /// Resolves <paramref name="host"/> through <see cref="SshClientOptions.Config"/>. The code's user
    /// name (when not the local user's) and port (when not 22) win over User and Port.
    /// </summary>
    /// <exception cref="SshConfigException">The configuration is malformed or unreadable; names the file (and line).</exception>
    public static ConfiguredConnect Resolve(string host, int port, SshClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ReferenceEquals(options.Config, SshConfig.Empty))
        {
            return new(host, port, options, [], false, false);
        }

        ILogger logger = options.Loggers.Client;
        SshHostConfig config = options.Config.Resolve(host, new SshConfigResolveOptions
        {
            User = ClientConfigMapping.UserNameIsDefault(options) ? null : options.UserName,
            Port = port == 22 ? null : port,
            Logger = logger,
        });
        SshClientOptions applied = ClientConfigMapping.Apply(config, options, logger);
        IReadOnlyList<ConfigForward> forwards = ConfigForward.All(config);
        bool exit = Flag(config, "exitonforwardfailure");
        bool gateway = Flag(config, "gatewayports");
        applied = ApplyProxy(config, options, applied);

        if (config.HostName != host || config.Port != port)
        {
            logger.LogDebug(SshLogEvents.Client.ConfigResolved, "SSH configuration: {Host} is {HostName} port {Port}", host, config.HostName, config.Port);
        }

        return new(config.HostName, config.Port, applied, forwards, exit, gateway);
    }

    /// <summary>
    /// Starts the configured forwards on <paramref name="connection"/> and returns it once each listens
    /// (or failed: logged as a warning, or, with <c>ExitOnForwardFailure yes</c>, the connection is
    /// closed and the error thrown). The forwards stop when the connection ends.
    /// </summary>
    public async Task<SshClientConnection> StartAsync(SshClientConnection connection, CancellationToken cancellationToken)
    {
        if (_forwards.Count == 0)
        {
            return connection;
        }

        ILogger logger = Options.Loggers.Client;
        var running = new System.Reactive.Disposables.CompositeDisposable();
        _ = connection.Completion.ContinueWith(_ => running.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (ConfigForward forward in _forwards)
        {
            try
            {
                running.Add(await ConfigForwardStarter.StartAsync(connection, forward, _gatewayPorts, logger, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (_exitOnForwardFailure)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw new SshForwardingException($"{forward.Kind}Forward {forward.Text} could not be started (ExitOnForwardFailure): {ex.Message}", ex);
                }

                logger.LogWarning(SshLogEvents.Client.ConfigForwardFailed, "{Kind}Forward {Forward} could not be started: {Error}", forward.Kind, forward.Text, ex.Message);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return connection;
    }

    /// <summary>
    /// ProxyJump (preferred when both are set) or ProxyCommand from the configuration, when the code
    /// set neither. Each hop gets the code's options, not the target's configured ones, so it is
    /// resolved through the configuration under its own name when it is dialled, as ssh runs each
    /// hop as an ssh of its own.
    /// </summary>
    /// <exception cref="SshConfigException">ProxyJump is not in ssh's syntax.</exception>
    private static SshClientOptions ApplyProxy(SshHostConfig config, SshClientOptions code, SshClientOptions applied)
    {
        if (code.ProxyJump.Count > 0 || code.ProxyCommand is not null)
        {
            return applied;
        }

        if (config.ProxyJump is { } jump)
        {
            IReadOnlyList<SshProxyJump> hops;
            try
            {
                hops = SshProxyJump.Parse(jump);
            }
            catch (FormatException ex)
            {
                throw new SshConfigException($"ProxyJump {jump} for {config.Host}: {ex.Message}", ex);
            }

            return applied with { ProxyJump = [.. hops.Select(h => h with { Options = h.OptionsFor(code) })] };
        }

        return config.ProxyCommand is { } command && !command.Equals("none", StringComparison.OrdinalIgnoreCase)
            ? applied with { ProxyCommand = command }
            : applied;
    }

    private static bool Flag(SshHostConfig config, string keyword) =>
        config[keyword] is [{ } value, ..] && value.ToLowerInvariant() is "yes" or "true";
}
