using System.Buffers.Binary;

namespace Rx.Ssh.Fuzz.Engine;

/// <summary>
/// Makes inputs from seeds: bit flips, random and boundary bytes, boundary 32-bit values written
/// big-endian (SSH and SFTP lengths and counts are), inserted, deleted, repeated and spliced ranges,
/// truncation, and the target's dictionary tokens. One to eight mutations per input.
/// </summary>
internal sealed class Mutator(Random random, int maxLength)
{
    private static readonly uint[] Boundaries = [0, 1, 2, 3, 4, 5, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF, 32768, 35000, 262144, 1 << 24];

    /// <summary>A mutation of <paramref name="seed"/>; <paramref name="other"/> is the splice partner.</summary>
    public byte[] Mutate(byte[] seed, byte[] other, IReadOnlyList<byte[]> dictionary)
    {
        var data = new List<byte>(seed);
        int count = 1 + random.Next(8);
        for (int i = 0; i < count; i++)
        {
            MutateOnce(data, other, dictionary);
        }

        if (data.Count > maxLength)
        {
            data.RemoveRange(maxLength, data.Count - maxLength);
        }

        return [.. data];
    }

    private void MutateOnce(List<byte> data, byte[] other, IReadOnlyList<byte[]> dictionary)
    {
        int at = data.Count == 0 ? 0 : random.Next(data.Count);
        switch (random.Next(dictionary.Count > 0 ? 10 : 9))
        {
            case 0 when data.Count > 0:
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[at] = (byte)random.Next(256);
                break;
            case 2 when data.Count > 0:
                data[at] = (byte)Boundaries[random.Next(Boundaries.Length)];
                break;
            case 3 when data.Count >= 4:
                {
                    Span<byte> value = stackalloc byte[4];
                    uint n = Boundaries[random.Next(Boundaries.Length)];
                    BinaryPrimitives.WriteUInt32BigEndian(value, random.Next(4) == 0 ? n + (uint)random.Next(-2, 3) : n);
                    at = Math.Min(at, data.Count - 4);
                    for (int i = 0; i < 4; i++)
                    {
                        data[at + i] = value[i];
                    }

                    break;
                }

            case 4:
                {
                    byte[] insert = new byte[1 + random.Next(16)];
                    random.NextBytes(insert);
                    data.InsertRange(at, insert);
                    break;
                }

            case 5 when data.Count > 0:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(32)));
                break;
            case 6 when data.Count > 0:
                {
                    int length = Math.Min(data.Count - at, 1 + random.Next(64));
                    List<byte> range = data.GetRange(at, length);
                    int times = 1 + random.Next(random.Next(4) == 0 ? 200 : 4);
                    for (int i = 0; i < times; i++)
                    {
                        data.InsertRange(at, range);
                    }

                    break;
                }

            case 7 when other.Length > 0:
                {
                    int from = random.Next(other.Length);
                    int length = Math.Min(other.Length - from, 1 + random.Next(256));
                    data.InsertRange(at, other.AsSpan(from, length).ToArray());
                    break;
                }

            case 8 when data.Count > 0:
                data.RemoveRange(at, data.Count - at);
                break;
            case 9:
                data.InsertRange(at, dictionary[random.Next(dictionary.Count)]);
                break;
            default:
                data.Add((byte)random.Next(256));
                break;
        }
    }
}
