// SwirlStore
