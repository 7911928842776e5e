from csckpi.cli import main

main()
