// Orders of what people do, for tests that try every one: each order of a set of actions, and an order
// cut into steps with a tick (or a sync pass) between some of them.

/** Every order of `items`: n! of them, so keep the sets small. */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

/**
 * The order cut into steps, with a tick after each: bit i of `ticksAfter` puts a tick after the (i+1)-th
 * action. A tick always follows the last step.
 */
export function stepsOf<T>(order: readonly T[], ticksAfter: number): T[][] {
  const steps: T[][] = [[]];
  order.forEach((action, index) => {
    steps[steps.length - 1]?.push(action);
    if (index < order.length - 1 && (ticksAfter & (1 << index)) !== 0) steps.push([]);
  });
  return steps;
}
