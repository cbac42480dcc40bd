/**
 * The command-line flags we start Debian's Chromium with (never a downloaded browser), shared by
 * the browser tests and the browser benchmark: headless, no background networking (these machines
 * reach no outside host), and WebGL either on SwiftShader or on a real GPU through Vulkan.
 */
import { existsSync } from 'node:fs';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The Chromium binary: CHROMIUM_PATH when set, else Debian's. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;

export const BASE_FLAGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * WebGL on SwiftShader and the page composited in software, as Chromium runs on a machine without
 * a GPU. (Compositing through SwiftShader too cost a quarter of a browser test's CPU time.)
 */
export const SOFTWARE_GL_FLAGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-gpu-compositing'];

/**
 * WebGL on the machine's GPU with no display: ANGLE on Vulkan. The Vulkan loader has to find the
 * driver's ICD file (VK_DRIVER_FILES), see vulkanEnv().
 */
export const GPU_GL_FLAGS = ['--use-angle=vulkan', '--enable-features=Vulkan,VulkanFromANGLE', '--ignore-gpu-blocklist'];

/** Where distributions put the NVIDIA driver's Vulkan ICD file. */
const NVIDIA_ICDS = [
  '/usr/share/vulkan/icd.d/nvidia_icd.json',
  '/etc/vulkan/icd.d/nvidia_icd.json',
  '/usr/share/vulkan/icd.d/nvidia_icd.x86_64.json',
  // Where container runtimes mount the host driver's files (seen on a headless H200 machine).
  '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json',
];

/**
 * The environment for a GPU-mode Chromium: ours, plus VK_DRIVER_FILES pointing at the NVIDIA ICD
 * when the caller has not set it (or VK_ICD_FILENAMES, its older name) and one is installed.
 */
export function vulkanEnv(): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  if (!env.VK_DRIVER_FILES && !env.VK_ICD_FILENAMES) {
    const icd = NVIDIA_ICDS.find((file) => existsSync(file));
    if (icd) env.VK_DRIVER_FILES = icd;
  }
  return env;
}
