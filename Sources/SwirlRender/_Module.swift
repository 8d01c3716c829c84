// SwirlRender
