// Today's watering log: how many times each plot has been watered since midnight.
export const wateredToday = new Map<number, number>();

export function water(plotId: number): number {
  const count = (wateredToday.get(plotId) ?? 0) + 1;
  wateredToday.set(plotId, count);
  return count;
}

export function resetWatering(): void {
  wateredToday.clear();
}
