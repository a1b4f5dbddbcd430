// email-reply-parser 2.1 ships no types. This declares the part inbound mail uses: `parseReply`
// returns the visible text of a reply, without quoted history, answer headers and signatures.
declare module 'email-reply-parser' {
  export default class EmailReplyParser {
    parseReply(text: string): string;
  }
}
