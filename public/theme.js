// Runs before first paint (loaded synchronously in <head>) so a dark-mode reader never sees a
// white flash. The choice is 'light', 'dark', or absent (follow the system).
(function () {
  var choice = null;
  try {
    choice = localStorage.getItem('descent:theme');
  } catch (e) {
    // Storage disabled: follow the system.
  }
  var dark = choice ? choice === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.documentElement.dataset.themeChoice = choice || 'system';
  // Lets CSS reserve room for controls that scripts will enable, so nothing shifts later.
  document.documentElement.classList.add('js');
})();
