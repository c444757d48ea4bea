import { defineBackground } from 'wxt/utils/define-background';
import { createBackground } from '../worker/background-main';

export default defineBackground(() => {
  createBackground().start();
});
