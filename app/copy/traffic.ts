import type { TrafficRule } from '../../shared/domain/job.ts';
import { type Clock, systemClock } from '../util/clock.ts';
import { allOf, smallestPiece, type Throttle, TokenBucket } from './throttle.ts';

/** Whether a rule limits traffic at this local time (hours [from, to), wrapping midnight). */
export function ruleActive(rule: Pick<TrafficRule, 'hours'>, at: Date): boolean {
  if (!rule.hours) return true;
  const { from, to } = rule.hours;
  const hour = at.getHours();
  if (from === to) return true;
  return from < to ? hour >= from && hour < to : hour >= from || hour < to;
}

function applies(rule: TrafficRule, from: string, to: string): boolean {
  return (rule.fromRepositoryId === null || rule.fromRepositoryId === from) && (rule.toRepositoryId === null || rule.toRepositoryId === to);
}

/**
 * The engine's global traffic rules. Each rule has one token bucket, shared by every
 * job whose transfers it covers, so concurrent jobs split the rule's bandwidth instead
 * of each taking all of it.
 */
export class TrafficRules {
  private rules: TrafficRule[] = [];
  private buckets = new Map<string, TokenBucket>();
  private readonly clock: Clock;

  constructor(rules: readonly TrafficRule[] = [], clock: Clock = systemClock) {
    this.clock = clock;
    this.set(rules);
  }

  list(): TrafficRule[] {
    return [...this.rules];
  }

  /** Replaces the rules; runs in progress follow the new limits from their next read. */
  set(rules: readonly TrafficRule[]): void {
    const next = new Map<string, TokenBucket>();
    for (const rule of rules) {
      const rate = () => (ruleActive(rule, new Date(this.clock.now())) ? rule.bytesPerSecond : null);
      next.set(rule.id, new TokenBucket(rate, { clock: this.clock }));
    }
    this.rules = [...rules];
    this.buckets = next;
  }

  between(from: string, to: string): Throttle {
    // Looked up on every read, so a rule added, changed or removed while a job runs takes effect at once.
    const current = () => this.rules.filter((rule) => applies(rule, from, to)).flatMap((rule) => this.buckets.get(rule.id) ?? []);
    return {
      take: (bytes, signal) => allOf(current()).take(bytes, signal),
      piece: () => smallestPiece(current()),
    };
  }
}
