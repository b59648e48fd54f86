// A private X display for headed tests (real key presses with xdotool). .ci/run installs the tools.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';

function requireTool(name: string): void {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
  } catch {
    throw new Error(`${name} is missing: install xvfb and xdotool (.ci/run does: apt-get install -y xvfb xdotool)`);
  }
}

/** Start Xvfb on a free display number at or above `from`. */
export async function startXvfb(from: number): Promise<{ display: string; process: ChildProcess }> {
  requireTool('Xvfb');
  requireTool('xdotool');
  for (let n = from + Math.floor(Math.random() * 200); ; n += 1) {
    const display = `:${n}`;
    const xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const started = await new Promise<boolean>((resolve) => {
      xvfb.once('exit', () => resolve(false));
      setTimeout(() => resolve(xvfb.exitCode === null), 700);
    });
    if (started) return { display, process: xvfb };
  }
}

/** Focus the browser window (`windowClass`: chromium, firefox) on `display` and press `keys` (xdotool syntax, e.g. `alt+shift+m`) on the real keyboard. */
export function pressKeys(display: string, keys: string, windowClass = 'chromium'): void {
  const env = { ...process.env, DISPLAY: display };
  const window = execFileSync('xdotool', ['search', '--onlyvisible', '--class', windowClass], { env }).toString().trim().split('\n').pop()!;
  execFileSync('xdotool', ['windowfocus', '--sync', window], { env });
  execFileSync('xdotool', ['key', '--clearmodifiers', keys], { env });
}
