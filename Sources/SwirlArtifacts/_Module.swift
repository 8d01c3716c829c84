// SwirlArtifacts
