/** "1 fakewriter", "2 fakewriters": counts in the header and end lines read as English. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
