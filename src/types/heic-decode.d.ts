// heic-decode ships no types. This declares the part image-processing.ts uses: `all` reads the
// container (sizes without decoding), `decode()` then decodes one top-level image to RGBA.
declare module 'heic-decode' {
  interface DecodedHeicImage {
    readonly width: number;
    readonly height: number;
    /** RGBA, 4 bytes per pixel, rows top to bottom. */
    readonly data: Uint8ClampedArray;
  }

  interface HeicImageHandle {
    readonly width: number;
    readonly height: number;
    decode(): Promise<DecodedHeicImage>;
  }

  interface HeicInput {
    readonly buffer: Uint8Array;
  }

  /** Decodes the first top-level image; throws TypeError when the brand is not HEIC/HEIF. */
  function decode(input: HeicInput): Promise<DecodedHeicImage>;

  namespace decode {
    /** Every top-level image, undecoded; call `dispose()` when done (frees the wasm heap). */
    function all(input: HeicInput): Promise<HeicImageHandle[] & { dispose(): void }>;
  }

  export = decode;
}
