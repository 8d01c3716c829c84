// SwirlController
