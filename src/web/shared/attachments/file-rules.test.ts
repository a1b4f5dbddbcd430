import { describe, expect, it } from 'vitest';
import { fileProblem, IMAGE_EXTENSIONS, MAX_FILE_BYTES } from './file-rules.js';

describe('attachment file rules', () => {
  it('refuse a file by type, size and count, naming it', () => {
    expect(IMAGE_EXTENSIONS).toEqual(expect.arrayContaining(['jpg', 'heic', 'png']));
    expect(IMAGE_EXTENSIONS).not.toContain('pdf');
    expect(fileProblem({ name: 'notes.svg', size: 10 }, 0)).toMatch(/^“notes\.svg” is not a file type we accept\./);
    expect(fileProblem({ name: 'setup.EXE', size: 10 }, 0)).toMatch(/not a file type/);
    expect(fileProblem({ name: 'big.jpg', size: MAX_FILE_BYTES + 1 }, 0)).toBe('“big.jpg” is larger than 10 MB, the limit for one file.');
    expect(fileProblem({ name: 'eleventh.pdf', size: 10 }, 10)).toBe('You can attach at most 10 files; “eleventh.pdf” was one too many.');
    expect(fileProblem({ name: 'Photo.JPG', size: MAX_FILE_BYTES }, 9)).toBeNull();
  });
});
