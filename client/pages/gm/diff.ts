/** A line diff of two texts (longest common subsequence), enough for config JSON. */
import { h } from '../dom.js';

export function diff(a: string, b: string): HTMLElement {
  const x = a.split('\n');
  const y = b.split('\n');
  const dp = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--)
      dp[i]![j] = x[i] === y[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const out: HTMLElement[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      out.push(h('span', {}, `  ${x[i++]}\n`));
      j++;
    } else if (j < y.length && (i >= x.length || dp[i]![j + 1]! >= dp[i + 1]![j]!))
      out.push(h('span', { class: 'add' }, `+ ${y[j++]}\n`));
    else out.push(h('span', { class: 'del' }, `- ${x[i++]}\n`));
  }
  return h('pre', { class: 'diff' }, ...out);
}
