using System.Net;
using System.Net.Sockets;

namespace Timeline.Api.Database.EmbeddedPostgres;

internal static class FreeTcpPort
{
    /// <summary>Asks the OS for a loopback port that nobody uses right now.</summary>
    public static int OnLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
