namespace Optio.Runner;

/// <summary>A step of a task's run that failed (a git command, opening the pull request), in words for the task's reason.</summary>
internal sealed class StepFailed(string message) : Exception(message);
