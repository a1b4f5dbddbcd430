/** Timestamps are stored as fixed-width ISO-8601 UTC text on both dialects (see database.ts). */
export function toDbTime(date: Date): string {
  return date.toISOString();
}

export function fromDbTime(value: string): Date {
  return new Date(value);
}

export function fromFlag(value: number | boolean): boolean {
  return value === 1 || value === true;
}
