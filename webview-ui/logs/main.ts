// Live Logs webview (in progress)
export {};
