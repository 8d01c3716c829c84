print("swirl")
