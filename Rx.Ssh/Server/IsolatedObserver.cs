using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Server;

/// <summary>
/// Wraps one subscriber of a hot stream the server feeds (<see cref="SshListener.Connections"/>):
/// whatever the subscriber throws is logged and goes no further, so it cannot stop the producer,
/// keep the other subscribers from their notifications, or surface as an unobserved task exception.
/// </summary>
internal sealed class IsolatedObserver<T>(IObserver<T> inner, ILogger logger) : IObserver<T>
{
    public void OnNext(T value)
    {
        try
        {
            inner.OnNext(value);
        }
        catch (Exception ex)
        {
            logger.LogError(SshLogEvents.Server.SubscriberFailed, ex, "A subscriber's OnNext threw; the server carries on");
        }
    }

    public void OnError(Exception error)
    {
        try
        {
            inner.OnError(error);
        }
        catch (Exception ex)
        {
            logger.LogError(SshLogEvents.Server.SubscriberFailed, ex, "A subscriber's OnError threw; the server carries on");
        }
    }

    public void OnCompleted()
    {
        try
        {
            inner.OnCompleted();
        }
        catch (Exception ex)
        {
            logger.LogError(SshLogEvents.Server.SubscriberFailed, ex, "A subscriber's OnCompleted threw; the server carries on");
        }
    }
}
