// The book shell's behaviour: theme toggle, mobile menu. Small on purpose: it ships on every page.

type Choice = 'system' | 'light' | 'dark';
const order: Choice[] = ['system', 'dark', 'light'];
const systemDark = matchMedia('(prefers-color-scheme: dark)');

function applyTheme(choice: Choice) {
  const dark = choice === 'system' ? systemDark.matches : choice === 'dark';
  const root = document.documentElement;
  root.dataset.theme = dark ? 'dark' : 'light';
  root.dataset.themeChoice = choice;
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-theme-toggle]')) {
    button.querySelector('.theme-label')!.textContent = `Theme: ${choice}`;
    button.title = `Colour theme: ${choice} (click to change)`;
  }
  document.dispatchEvent(new CustomEvent('descent:theme', { detail: { dark } }));
}

function storedChoice(): Choice {
  try {
    const value = localStorage.getItem('descent:theme');
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

function store(choice: Choice) {
  try {
    if (choice === 'system') localStorage.removeItem('descent:theme');
    else localStorage.setItem('descent:theme', choice);
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
}

applyTheme(storedChoice());
systemDark.addEventListener('change', () => applyTheme(storedChoice()));
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-theme-toggle]')) {
  button.addEventListener('click', () => {
    const next = order[(order.indexOf(storedChoice()) + 1) % order.length];
    store(next);
    applyTheme(next);
  });
}

const menuButton = document.querySelector<HTMLButtonElement>('[data-menu-toggle]');
const sidebar = document.getElementById('sidebar');
if (menuButton && sidebar) {
  const setOpen = (open: boolean) => {
    menuButton.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('menu-open', open);
  };
  menuButton.addEventListener('click', () =>
    setOpen(menuButton.getAttribute('aria-expanded') !== 'true'),
  );
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && document.body.classList.contains('menu-open')) {
      setOpen(false);
      menuButton.focus();
    }
  });
  sidebar.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('a')) setOpen(false);
  });
}
