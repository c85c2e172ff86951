using System.Net.Sockets;
using System.Text;

namespace Coaching.Testing;

/// <summary>
/// A bare HTTP/1.1 exchange over a socket, for bodies a server is right to stop reading: the body is written
/// while the answer is read, and a connection the server closes early is not a test failure.
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Body)> SendChunked(Uri baseAddress, string method, string path, string token, byte[] body)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"{method} {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n" +
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

        var writing = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                for (var offset = 0; offset < body.Length; offset += 64 * 1024)
                {
                    var size = Math.Min(64 * 1024, body.Length - offset);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:X}\r\n"));
                    await stream.WriteAsync(body.AsMemory(offset, size));
                    await stream.WriteAsync("\r\n"u8.ToArray());
                }

                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
            }
            catch (IOException)
            {
                // The server answered and closed before taking the whole body.
            }
        });

        var response = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                break;
            }

            if (n == 0)
            {
                break;
            }

            response.Append(Encoding.UTF8.GetString(buffer, 0, n));
            if (IsComplete(response.ToString()))
            {
                break;
            }
        }

        await Task.WhenAny(writing, Task.Delay(TimeSpan.FromSeconds(5)));
        var text = response.ToString();
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        return (status, text[bodyStart..]);
    }

    // A chunked answer ends with the zero-length chunk; one with Content-Length when that many bytes came.
    private static bool IsComplete(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var headers = text[..end];
        if (headers.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        }

        var line = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return line is not null && text.Length - end - 4 >= int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
