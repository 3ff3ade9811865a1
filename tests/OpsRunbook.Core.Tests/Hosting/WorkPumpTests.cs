#pragma warning disable xUnit1031 // the pump is synchronous by design: the test thread plays the pipeline thread
using System.Diagnostics;
using OpsRunbook.Core.Hosting;

namespace OpsRunbook.Core.Tests.Hosting;

/// <summary>The cmdlet base's pump, without a runspace: the test thread plays the pipeline thread.</summary>
public class WorkPumpTests
{
    [Fact]
    public void Runs_posted_actions_on_the_owner_thread_and_answers_questions()
    {
        var pump = new WorkPump();
        var owner = Environment.CurrentManagedThreadId;
        var ranOn = new List<int>();
        using var cts = new CancellationTokenSource();
        var work = Task.Run(() =>
        {
            pump.Post(() => ranOn.Add(Environment.CurrentManagedThreadId));
            return pump.Ask(() => Environment.CurrentManagedThreadId);
        });
        pump.PumpUntil(work, cts);
        Assert.Equal(owner, work.Result);
        Assert.Equal([owner], ranOn);
        Assert.False(cts.IsCancellationRequested);
    }

    [Fact]
    public void When_an_action_throws_the_work_is_cancelled_and_waited_for_before_the_exception_goes_on()
    {
        var pump = new WorkPump { StopTimeout = TimeSpan.FromSeconds(10) };
        using var cts = new CancellationTokenSource();
        var cleanedUp = false;
        var work = Task.Run(async () =>
        {
            pump.Post(() => throw new InvalidOperationException("a warning under -WarningAction Stop"));
            try { await Task.Delay(Timeout.Infinite, cts.Token); }
            finally { await Task.Delay(200); cleanedUp = true; }   // a restore drops its scratch database
        });
        var e = Assert.Throws<InvalidOperationException>(() => pump.PumpUntil(work, cts));
        Assert.Contains("WarningAction", e.Message);
        Assert.True(cts.IsCancellationRequested, "the worker's token was not cancelled");
        Assert.True(work.IsCompleted, "the worker still runs after the pump gave up");
        Assert.True(cleanedUp);
    }

    [Fact]
    public void A_worker_waiting_for_an_answer_is_released_when_the_pipeline_side_fails()
    {
        var pump = new WorkPump { StopTimeout = TimeSpan.FromSeconds(10) };
        using var cts = new CancellationTokenSource();
        var work = Task.Run(() =>
        {
            pump.Post(() => throw new InvalidOperationException("pipeline stopped"));
            Thread.Sleep(100);   // the failing action runs first
            return pump.Ask(() => true);   // ShouldProcess: nobody will answer any more
        });
        var sw = Stopwatch.StartNew();
        Assert.Throws<InvalidOperationException>(() => pump.PumpUntil(work, cts));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
        Assert.True(work.IsCompleted);
        Assert.IsAssignableFrom<OperationCanceledException>(work.Exception!.InnerException);
        Assert.True(pump.IsClosed);
    }

    [Fact]
    public void A_question_already_queued_when_the_pump_fails_is_cancelled_not_left_waiting()
    {
        var pump = new WorkPump { StopTimeout = TimeSpan.FromSeconds(10) };
        using var cts = new CancellationTokenSource();
        using var asked = new ManualResetEventSlim();
        var work = Task.Run(() =>
        {
            pump.Post(() => { asked.Wait(); throw new InvalidOperationException("stop"); });
            var t = Task.Run(() => pump.Ask(() => true));
            Thread.Sleep(100);
            asked.Set();
            return t.GetAwaiter().GetResult();
        });
        Assert.Throws<InvalidOperationException>(() => pump.PumpUntil(work, cts));
        Assert.True(work.IsCompleted);
        Assert.IsAssignableFrom<OperationCanceledException>(work.Exception!.InnerException);
    }

    [Fact]
    public void A_cancelled_worker_that_does_not_stop_is_given_up_on_after_the_stop_timeout()
    {
        var pump = new WorkPump { StopTimeout = TimeSpan.FromMilliseconds(500) };
        using var cts = new CancellationTokenSource();
        using var release = new ManualResetEventSlim();
        var work = Task.Run(() => release.Wait());   // ignores its token
        cts.CancelAfter(100);
        var sw = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => pump.PumpUntil(work, cts));
        Assert.InRange(sw.Elapsed.TotalSeconds, 0.5, 3);
        release.Set();
    }
}
