#!/usr/bin/env python3
"""Where a process spent its CPU, from a dotnet-trace `dotnet-sampled-thread-time` trace converted to speedscope.

Usage: cpu-samples.py <trace.speedscope.json> [N]
Counts only the samples whose leaf is CPU_TIME (threads that were running, not waiting) and prints the N frames that
were most often on those stacks, exclusive (the frame under CPU_TIME) and inclusive (anywhere on the stack).
"""
import collections
import json
import sys

ASYNC_PLUMBING = ('MoveNext', 'Start(', 'ExecutionContext', 'ThreadPool', 'Thread (', 'Task`', 'Canon]', 'Continuation',
                  'SetResult', 'SetExistingTaskResult', 'CPU_TIME', 'Process64', 'Non-Activities', 'Threads', 'Dispatch()')

trace = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
frames = [f['name'] for f in trace['shared']['frames']]
inclusive, exclusive, total = collections.Counter(), collections.Counter(), 0.0
for profile in trace['profiles']:
    stack, last = [], None
    for event in profile['events']:
        if last is not None and stack and frames[stack[-1]] == 'CPU_TIME':
            elapsed = event['at'] - last
            total += elapsed
            if len(stack) > 1:
                exclusive[frames[stack[-2]]] += elapsed
            for frame in set(stack):
                inclusive[frames[frame]] += elapsed
        last = event['at']
        if event['type'] == 'O':
            stack.append(event['frame'])
        elif stack:
            stack.pop()

print(f'CPU samples: {total:.0f} ms')
print('--- exclusive')
for name, ms in exclusive.most_common(top):
    print(f'{100 * ms / total:5.1f}% {name[:160]}')
print('--- inclusive (async plumbing left out)')
shown = [(n, ms) for n, ms in inclusive.most_common() if not any(p in n for p in ASYNC_PLUMBING)][:top]
for name, ms in shown:
    print(f'{100 * ms / total:5.1f}% {name[:160]}')
