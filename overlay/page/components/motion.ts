/** Whether the viewer (or OBS's browser) asked for reduced motion; read when an animation starts. */
export function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
