import { describe, expect, it } from 'vitest';
import { fileProgress } from './progress';

function capture() {
  let text = '';
  return { stderr: { write: (chunk: string) => (text += chunk) }, text: () => text };
}

describe('fileProgress', () => {
  it('redraws one line only when the whole percentage changes, then clears it', () => {
    const { stderr, text } = capture();
    const progress = fileProgress(stderr, 'big.csv');
    const MB = 1024 * 1024;
    progress.update(1 * MB, 200 * MB);
    progress.update(1.5 * MB, 200 * MB);
    progress.update(100 * MB, 200 * MB);
    progress.done();
    expect(text()).toBe('\rreading big.csv: 0% (1.0 of 200.0 MB)\rreading big.csv: 50% (100.0 of 200.0 MB)\r\x1b[K');
  });

  it('clears a line that only ever showed 0%', () => {
    const { stderr, text } = capture();
    const progress = fileProgress(stderr, 'slow.csv');
    progress.update(0, 4 * 1024 * 1024);
    progress.done();
    expect(text()).toBe('\rreading slow.csv: 0% (0.0 of 4.0 MB)\r\x1b[K');
  });

  it('reads an empty file as done, and clears nothing it never drew', () => {
    const drawn = capture();
    fileProgress(drawn.stderr, 'empty.csv').update(0, 0);
    expect(drawn.text()).toBe('\rreading empty.csv: 100% (0.0 of 0.0 MB)');
    const silent = capture();
    fileProgress(silent.stderr, 'x.csv').done();
    expect(silent.text()).toBe('');
  });
});
