using System.Runtime.Loader;
using Timeline.Domain.Correction;
using Timeline.Domain.Policies;

namespace Timeline.Domain.Tests.Correction;

/// <summary>
/// The first correction decided in a process must work: the field names a correction may change come from
/// the domain's JSON options, which must hold their type metadata before anything was serialized with them.
/// </summary>
public class FreshProcessTests
{
    [Fact]
    public void GivenAFreshProcess_WhenTheFirstCorrectionIsDecided_ThenItsFieldCheckDoesNotThrow()
    {
        // A fresh load of the domain assembly has fresh statics, as in a new process.
        var fresh = new AssemblyLoadContext("fresh-timeline-domain", isCollectible: true);
        try
        {
            var domain = fresh.LoadFromAssemblyPath(typeof(CorrectionPatch).Assembly.Location);
            var patch = domain.GetType(typeof(CorrectionPatch).FullName!, throwOnError: true)!;
            var issued = domain.GetType(typeof(PolicyIssued).FullName!, throwOnError: true)!;

            var exception = Record.Exception(() => patch.GetMethod(nameof(CorrectionPatch.CorrectableFields))!.Invoke(null, [issued]));

            Assert.Null(exception?.InnerException?.InnerException ?? exception?.InnerException ?? exception);
        }
        finally
        {
            fresh.Unload();
        }
    }
}
