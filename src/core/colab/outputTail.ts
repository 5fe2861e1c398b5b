// The notebook's printed output, followed on Drive: the status cell tees stdout/stderr into
// airlock_output.log in the run folder, and each poll fetches only the bytes added since the last
// one (a Range request). Lines are handed over whole; a file that shrank was rewritten (the
// notebook ran again) and is read from the start.
import { StringDecoder } from 'node:string_decoder';
import { outputFileName } from '../notebook/statusWriter';
import type { DriveApi } from './driveClient';

export class OutputTail {
  private fileId: string | undefined;
  private offset = 0;
  private carry = '';
  // A character split between two reads is completed by the next one.
  private decoder = new StringDecoder('utf8');

  constructor(
    private readonly drive: Pick<DriveApi, 'findChild' | 'downloadFrom' | 'get'>,
    private readonly folderId: string,
  ) {}

  /** New complete lines; `final` also returns a last line without its newline. */
  async read(final = false): Promise<string[]> {
    this.fileId ??= (await this.drive.findChild(this.folderId, outputFileName))?.id;
    if (!this.fileId) return [];
    const added = await this.drive.downloadFrom(this.fileId, this.offset, outputFileName);
    if (!added.length && this.offset) {
      const size = (await this.drive.get(this.fileId)).size;
      if (size !== undefined && size < this.offset) {
        this.offset = 0;
        this.carry = '';
        this.decoder = new StringDecoder('utf8');
        return this.read(final);
      }
    }
    this.offset += added.length;
    const text = this.carry + this.decoder.write(added);
    const lines = text.split(/\r?\n/);
    this.carry = lines.pop() ?? '';
    if (final && this.carry) {
      lines.push(this.carry);
      this.carry = '';
    }
    // tqdm and friends redraw with \r: the last state of a line is what a log reader wants.
    return lines.map((l) => l.slice(l.lastIndexOf('\r') + 1));
  }
}
