// Colours chosen for WCAG AA contrast: the primary shade 8 keeps white text on filled buttons
// above 4.5:1, and "dimmed" text uses gray 7 instead of gray 6 (see styles.css).
import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 4 },
  autoContrast: true,
  luminanceThreshold: 0.4,
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif',
});
