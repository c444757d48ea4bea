import { defineBackground } from 'wxt/utils/define-background';
import { createBackground } from '../lib/background-main';

export default defineBackground(() => {
  createBackground().start();
});
