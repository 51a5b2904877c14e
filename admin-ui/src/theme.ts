// Colours chosen for WCAG AA contrast: the primary shade 8 keeps white text on filled buttons
// above 4.5:1, and "dimmed" text uses gray 7 instead of gray 6 (see styles.css).
import { createTheme, Modal } from '@mantine/core';

/** The theme, with the dialogs' close button named in the user's language. */
export const themeFor = (closeLabel: string) =>
  createTheme({
    ...theme,
    components: { Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } }) },
  });

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 4 },
  autoContrast: true,
  luminanceThreshold: 0.4,
  defaultRadius: 'sm',
  // Users (and the browser tests) who ask for less motion get dialogs without fades.
  respectReducedMotion: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif',
});
