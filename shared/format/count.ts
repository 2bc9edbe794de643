/** "1 workload", "3 workloads": a number with its noun, never "workload(s)". */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
