using System.Globalization;
using System.Text;

namespace Rx.Ssh.Authentication;

/// <summary>
/// The user names the server accepts at all, checked before any application callback sees one:
/// at most 256 bytes of UTF-8, not empty, not <c>.</c> or <c>..</c>, and no <c>/</c>, <c>\</c>,
/// NUL, control or invisible formatting characters. Applications commonly turn the name into a
/// path (<c>authorized_keys/{user}</c>) or write it to logs; such names are refused as an
/// authentication failure.
/// </summary>
internal static class UserNameRules
{
    /// <summary>The longest user name accepted, in UTF-8 bytes.</summary>
    public const int MaxBytes = 256;

    /// <summary>Whether <paramref name="userName"/> may reach the application.</summary>
    public static bool IsAcceptable(string userName)
    {
        if (userName.Length == 0 || userName.Length > MaxBytes || userName is "." or ".." || Encoding.UTF8.GetByteCount(userName) > MaxBytes)
        {
            return false;
        }

        foreach (char c in userName)
        {
            if (c is '/' or '\\' || char.IsControl(c))
            {
                return false;
            }

            UnicodeCategory category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return false;
            }
        }

        return true;
    }
}
