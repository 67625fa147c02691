using Microsoft.Extensions.Options;

namespace Optio.Api.Core;

/// <summary>
/// A module's settings: an options class bound from its configuration section and checked when the host starts, so a
/// bad value stops start-up with a message naming the full key (an unparsable value fails binding, which names it too).
/// </summary>
public static class OptioOptions
{
    /// <param name="section">The section bound, e.g. <c>Optio:Webhooks</c>.</param>
    /// <param name="problems">The problems of a bound value, given the section; each names its key.</param>
    public static OptionsBuilder<T> AddOptioOptions<T>(this IServiceCollection services, string section,
        Func<T, string, IEnumerable<string>> problems) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section, problems));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>"Section:Key must not be negative; got -00:00:01", or nothing.</summary>
    public static IEnumerable<string> NotNegative(string section, string key, TimeSpan value) =>
        value < TimeSpan.Zero ? [$"{section}:{key} must not be negative; got {value}"] : [];

    public static IEnumerable<string> Positive(string section, string key, TimeSpan value) =>
        value <= TimeSpan.Zero ? [$"{section}:{key} must be greater than zero; got {value}"] : [];

    public static IEnumerable<string> AtLeast(string section, string key, int value, int minimum) =>
        value < minimum ? [$"{section}:{key} must be at least {minimum}; got {value}"] : [];

    sealed class SectionValidator<T>(string section, Func<T, string, IEnumerable<string>> problems) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var found = problems(options, section).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
