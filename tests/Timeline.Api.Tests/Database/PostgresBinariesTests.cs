using System.Runtime.Versioning;
using Timeline.Api.Database.EmbeddedPostgres;
using Timeline.Api.Tests.Infrastructure;

namespace Timeline.Api.Tests.Database;

/// <summary>Discovery on fake installations: empty files with the programs' names and an execute bit.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PostgresBinariesTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public void Programs_on_the_search_path_are_followed_through_their_symlinks_to_the_real_installation()
    {
        var real = FakeInstallation("lib/postgresql/15/bin");
        var onPath = Directory.CreateDirectory(_directory.Combine("bin")).FullName;
        foreach (var program in new[] { "initdb", "pg_ctl", "postgres" })
        {
            File.CreateSymbolicLink(Path.Combine(onPath, program), Path.Combine(real, program));
        }

        var found = PostgresBinaries.Find(searchPath: $"{_directory.Combine("nothing-here")}:{onPath}", installRoot: _directory.Combine("none"));

        Assert.Equal(real, found.Directory);
    }

    [Fact]
    public void Without_binaries_on_the_search_path_the_newest_complete_installation_wins_by_number()
    {
        var root = _directory.Combine("lib", "postgresql");
        FakeInstallation("lib/postgresql/9.6/bin");
        var ten = FakeInstallation("lib/postgresql/10/bin");
        FakeInstallation("lib/postgresql/16/bin", "initdb", "pg_ctl");
        Directory.CreateDirectory(Path.Combine(root, "common", "bin"));

        var found = PostgresBinaries.Find(searchPath: "", installRoot: root);

        Assert.Equal(ten, found.Directory);
    }

    [Fact]
    public void Files_without_an_execute_bit_are_not_programs()
    {
        var root = _directory.Combine("lib", "postgresql");
        var bin = FakeInstallation("lib/postgresql/15/bin");
        File.SetUnixFileMode(Path.Combine(bin, "postgres"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.False(PostgresBinaries.TryFind(out _, searchPath: bin, installRoot: root));
        Assert.Throws<PostgresBinariesNotFoundException>(() => PostgresBinaries.Find(searchPath: bin, installRoot: root));
    }

    public void Dispose() => _directory.Dispose();

    private string FakeInstallation(string relativeBin, params string[] programs)
    {
        var bin = Directory.CreateDirectory(_directory.Combine(relativeBin.Split('/'))).FullName;
        foreach (var program in programs.Length > 0 ? programs : ["initdb", "pg_ctl", "postgres"])
        {
            var path = Path.Combine(bin, program);
            File.WriteAllText(path, "");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return bin;
    }
}
