// Make sure a Chromium exists for the browser tests. Playwright's own browser download cannot
// work on machines without general internet access, so we use the system's Chromium: on Debian
// as root we install it with apt; anywhere else we stop and say what to install.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const candidates = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];
const found = candidates.find((p) => p && existsSync(p));
if (found) {
  console.log(`browser: ${found}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
if (isRoot && isDebian) {
  console.log('browser: none found; installing Debian chromium with apt-get (about a minute)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // apt may be busy right after boot (unattended jobs); retry a few times on the lock.
  for (let attempt = 1; ; attempt++) {
    try {
      execSync('apt-get update -q && apt-get install -y -q chromium', { stdio: 'inherit', env });
      break;
    } catch (error) {
      if (attempt >= 4) throw error;
      console.log(`apt-get failed (attempt ${attempt}); retrying in 15 s…`);
      execSync('sleep 15');
    }
  }
  if (existsSync('/usr/bin/chromium')) process.exit(0);
}

console.error(
  [
    'No Chromium found for the browser tests.',
    'Install one and run again, for example:',
    '  Debian/Ubuntu:  sudo apt-get install chromium',
    '  or point CHROME_PATH at an existing Chrome or Chromium binary.',
  ].join('\n'),
);
process.exit(1);
