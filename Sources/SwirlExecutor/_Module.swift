// SwirlExecutor
