// html-to-text 10 ships no types. This declares the part inbound mail uses: `convert` turns an
// email's HTML into plain text (scripts and styles dropped), with selectors choosing formats.
declare module 'html-to-text' {
  interface SelectorDefinition {
    readonly selector: string;
    readonly format?: string;
    readonly options?: Record<string, unknown>;
  }
  interface HtmlToTextOptions {
    readonly wordwrap?: number | false | null;
    readonly selectors?: readonly SelectorDefinition[];
  }
  export function convert(html: string, options?: HtmlToTextOptions): string;
}
