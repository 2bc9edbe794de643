import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eachInTurn } from '../../shared/util/limiter.ts';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('eachInTurn', () => {
  it('starts the items in order, never more than the limit at once', async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await eachInTurn([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      most = Math.max(most, ++running);
      await tick();
      running--;
    });
    assert.deepEqual(started, [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(most, 3);
  });

  it('starts no more after a failure, lets the running ones settle, then throws the first failure', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    await assert.rejects(
      eachInTurn([1, 2, 3, 4, 5, 6], 2, async (n) => {
        started.push(n);
        await tick();
        if (n === 2) throw new Error('two failed');
        await tick();
        settled.push(n);
      }),
      /two failed/,
    );
    assert.deepEqual(started, [1, 2], 'the place 2 freed was not given to 3');
    assert.deepEqual(settled, [1], 'the running item settled before the throw');
  });

  it('stops when `before` throws, after the running ones settle', async () => {
    let calls = 0;
    const settled: number[] = [];
    await assert.rejects(
      eachInTurn(
        [1, 2, 3, 4],
        4,
        async (n) => {
          await tick();
          settled.push(n);
        },
        () => {
          if (++calls === 3) throw new Error('cancelled');
        },
      ),
      /cancelled/,
    );
    assert.deepEqual(settled.sort(), [1, 2]);
  });
});
