import { z } from 'zod';

/**
 * A name people see (a person, a client, an organisation): one line of text. Control characters
 * (tabs, line breaks, escapes, C1 codes) become spaces and runs of whitespace one space, at input —
 * so a name never carries terminal escapes into logs or line breaks into email headers.
 */
export function ZDisplayName(max: number) {
  return z
    .string()
    .transform((value) => value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(1, { error: 'is required' })
        .max(max, { error: `must be at most ${max} characters` }),
    );
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
